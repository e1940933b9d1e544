package org.pastiche.ui.about;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.SessionSettings;
import org.pastiche.inference.StyleCatalog;
import org.pastiche.inference.StyleModel;

class AboutViewModelTest {
    private static StyleModel style(String id, String zh, String licence, String attribution) {
        return new StyleModel(id, Map.of("en", id + " EN", "zh", zh), Map.of(), Path.of(id + ".onnx"), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of("en", licence),
                Map.of("en", attribution), 1, 1, 4, Map.of(), true, Optional.empty());
    }

    @Test
    void creditsEachStyleWithItsCatalogTextsInTheUiLanguage() {
        AboutViewModel vm = new AboutViewModel("1.2.3", List.of(
                style("a", "甲", "MIT", "by A"),
                style("b", "乙", "Research and non-commercial use only", "by B")));
        assertEquals("1.2.3", vm.version());
        List<AboutViewModel.StyleCredit> en = vm.styleCredits(Locale.ENGLISH);
        assertEquals(List.of("a EN", "b EN"), en.stream().map(AboutViewModel.StyleCredit::name).toList());
        assertEquals("by B", en.get(1).attribution());
        assertFalse(en.get(0).nonCommercial());
        assertTrue(en.get(1).nonCommercial());
        assertEquals("甲", vm.styleCredits(Locale.SIMPLIFIED_CHINESE).get(0).name());
    }

    @Test
    void theShippedCatalogsNonCommercialStyleIsPointedOut() throws Exception {
        Path catalog = Path.of(System.getProperty("pastiche.models.dir", "models"), "catalog.json");
        List<StyleModel> styles = StyleCatalog.load(catalog);
        Map<String, Boolean> nonCommercial = new AboutViewModel("x", styles).styleCredits(Locale.ENGLISH).stream()
                .collect(Collectors.toMap(AboutViewModel.StyleCredit::id, AboutViewModel.StyleCredit::nonCommercial));
        assertEquals(styles.size(), nonCommercial.size());
        assertTrue(nonCommercial.get("picasso"), "La Muse is for non-commercial use only");
        assertFalse(nonCommercial.get("candy"));
    }

    @Test
    void theAnyPaintingNetworkIsCreditedAfterTheGalleryStyles() {
        Path models = Path.of(System.getProperty("pastiche.models.dir", "models"));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(models.resolve("any-painting.onnx")),
                "models/any-painting.onnx not present");
        try (ModelRegistry registry = new ModelRegistry(List.of(models), SessionSettings.defaults())) {
            List<StyleModel> styles = registry.styles();
            AboutViewModel vm = new AboutViewModel("x", styles, registry.paintings().networks());
            List<AboutViewModel.StyleCredit> en = vm.styleCredits(Locale.ENGLISH);
            assertEquals(styles.size() + 1, en.size(), "the gallery's styles, then the network");
            AboutViewModel.StyleCredit network = en.get(en.size() - 1);
            assertEquals("any-painting", network.id());
            assertEquals("Your painting", network.name());
            assertTrue(network.licence().startsWith("MIT") && network.licence().contains("MicroAST")
                    && network.licence().contains("Zhizhong Wang"), network.licence());
            assertTrue(network.attribution().contains("Wang et al.") && network.attribution().contains("AAAI 2023"),
                    network.attribution());
            assertFalse(network.nonCommercial());
            AboutViewModel.StyleCredit zh = vm.styleCredits(Locale.SIMPLIFIED_CHINESE).get(en.size() - 1);
            assertEquals("你的画作", zh.name());
            assertTrue(zh.licence().startsWith("MIT（") && zh.attribution().contains("Zhizhong Wang 等"), zh.licence());
        }
    }

    @Test
    void namesTheLicenceOfEveryBundledComponent() {
        List<AboutViewModel.Component> components = new AboutViewModel("x", List.of()).components();
        Map<String, String> byName = components.stream()
                .collect(Collectors.toMap(AboutViewModel.Component::name, AboutViewModel.Component::licence));
        assertEquals("MIT", byName.get("ONNX Runtime"));
        assertTrue(byName.get("OpenJFX").contains("Classpath-exception"));
        components.forEach(c -> assertFalse(c.licence().isBlank(), c.name()));
    }
}
