package org.pastiche.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import javafx.application.Platform;

/** Keeps the MVVM split honest: view models are toolkit-free, views do not hop threads. */
@AnalyzeClasses(packages = "org.pastiche", importOptions = ImportOption.DoNotIncludeTests.class)
class UiArchitectureTest {

    @ArchTest
    static final ArchRule viewModelsNeedNoToolkit = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.application..")
            .because("view models are tested without the toolkit");

    @ArchTest
    static final ArchRule viewsDoNotHopThreads = noClasses().that().resideInAPackage("org.pastiche.ui..")
            .should().callMethod(Platform.class, "runLater", Runnable.class)
            .because("background work goes through the TaskRunner, whose callbacks are on the FX thread");

    @ArchTest
    static final ArchRule uiDoesNotKnowTheApp = noClasses().that().resideInAPackage("org.pastiche.ui..")
            .should().dependOnClassesThat().resideInAPackage("org.pastiche.app..");

    @ArchTest
    static final ArchRule uiUsesTheEngineThroughItsInterfaces = noClasses().that().resideInAPackage("org.pastiche.ui..")
            .should().dependOnClassesThat().haveSimpleNameStartingWith("Onnx")
            .because("the composition root chooses the implementation");
}
