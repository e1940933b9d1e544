package org.pastiche.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** Keeps the engine free of the UI toolkit, so that the CLI runs headless and tests need no toolkit. */
@AnalyzeClasses(packages = "org.pastiche", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] ENGINE = {
        "org.pastiche.core..", "org.pastiche.imaging..", "org.pastiche.inference..", "org.pastiche.cli.."
    };

    @ArchTest
    static final ArchRule engineDoesNotUseJavaFx = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("only app/ and ui/ may use JavaFX");

    @ArchTest
    static final ArchRule engineDoesNotDependOnTheUi = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("org.pastiche.ui..", "org.pastiche.app..");

    @ArchTest
    static final ArchRule onlyInferenceUsesOnnxRuntime = noClasses().that()
            .resideOutsideOfPackage("org.pastiche.inference..")
            .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
            .because("sessions, tensors and runs stay behind the engine's own types (ModelRegistry, Stylizer)");

    @ArchTest
    static final ArchRule onlyTheCliPrints = noClasses().that()
            .resideInAnyPackage("org.pastiche.core..", "org.pastiche.imaging..", "org.pastiche.inference..")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("libraries log through SLF4J; only the command line writes to the console");
}
