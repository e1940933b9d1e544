package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Licence and attribution texts in the UI's language (issue 16: in Chinese they stayed English). */
class StyleCatalogTextsTest {
    @TempDir
    Path dir;

    @Test
    void licenceAndAttributionComeInTheLocalesLanguageWithEnglishAsTheFallback() throws Exception {
        Files.writeString(dir.resolve("catalog.json"), "{\"models\": [{\"id\": \"s\", \"file\": \"s.onnx\","
                + " \"license\": \"MIT\", \"licenses\": {\"zh\": \"MIT 许可\"},"
                + " \"attribution\": \"by A\", \"attributions\": {\"zh\": \"作者 A\"}},"
                + " {\"id\": \"t\", \"file\": \"t.onnx\", \"license\": \"BSD\"}]}", StandardCharsets.UTF_8);
        List<StyleModel> styles = StyleCatalog.load(dir.resolve("catalog.json"));
        StyleModel s = styles.get(0);
        assertEquals("MIT 许可", s.license(Locale.SIMPLIFIED_CHINESE));
        assertEquals("作者 A", s.attribution(Locale.SIMPLIFIED_CHINESE));
        assertEquals("MIT", s.license(Locale.ENGLISH));
        assertEquals("MIT", s.license(Locale.FRENCH), "other languages fall back to English");
        assertEquals("MIT", s.license(), "the terms checks read the English text");
        StyleModel t = styles.get(1);
        assertEquals("BSD", t.license(Locale.SIMPLIFIED_CHINESE), "without a translation: English");
        assertEquals("", t.attribution(Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void everyShippedStyleHasChineseLicenceAndAttributionTexts() throws Exception {
        for (StyleModel s : StyleCatalog.load(Path.of("models", "catalog.json"))) {
            for (String text : List.of(s.license(Locale.SIMPLIFIED_CHINESE), s.attribution(Locale.SIMPLIFIED_CHINESE))) {
                assertFalse(text.isBlank(), s.id());
            }
            assertNotEquals(s.license(), s.license(Locale.SIMPLIFIED_CHINESE), s.id() + ": licence not translated");
            assertNotEquals(s.attribution(), s.attribution(Locale.SIMPLIFIED_CHINESE), s.id() + ": attribution not translated");
        }
    }
}
