package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.pastiche.core.PasticheException;

class I18nTest {
    private static Properties bundle(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = I18nTest.class.getResourceAsStream("/org/pastiche/ui/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void bothLanguagesHaveTheSameKeys() throws Exception {
        assertEquals(new TreeSet<>(bundle("messages.properties").stringPropertyNames()),
                new TreeSet<>(bundle("messages_zh_CN.properties").stringPropertyNames()));
    }

    @Test
    void everyEngineReasonHasATextInBothLanguages() throws Exception {
        Properties en = bundle("messages.properties");
        Properties zh = bundle("messages_zh_CN.properties");
        for (PasticheException.Reason reason : PasticheException.Reason.values()) {
            String key = ErrorReasons.key(reason);
            assertTrue(en.containsKey(key), "English lacks " + key);
            assertTrue(zh.containsKey(key), "Chinese lacks " + key);
            assertNotEquals(en.getProperty(key), zh.getProperty(key), key + " is not translated");
        }
    }

    @Test
    void reasonsAreTranslatedWithTheirArgumentsAndUnknownOnesKeepTheRawText() {
        I18n i18n = new I18n(Locale.SIMPLIFIED_CHINESE);
        var tooLarge = new PasticheException(PasticheException.Reason.TOO_MANY_PIXELS,
                "x.jpg: the image is too large", 20000, 10000, 150.0);
        assertEquals("图像太大（20000 × 10000 像素；上限为 150 百万像素）", ErrorReasons.describe(i18n, tooLarge));
        assertEquals("发生了意外问题（boom）", ErrorReasons.describe(i18n, new IllegalStateException("boom")));
        assertEquals("发生了意外问题（disk on fire）",
                ErrorReasons.describe(i18n, new PasticheException("/x/a.png: disk on fire"), "/x/a.png"));
        assertEquals("图像太大，可用内存不足", ErrorReasons.describe(i18n, new OutOfMemoryError()));
        i18n.setLocale(Locale.ENGLISH);
        assertEquals("the image is too large (20000 × 10000 pixels; the limit is 150 megapixels)",
                ErrorReasons.describe(i18n, tooLarge));
    }

    @Test
    void followsTheRequestedLanguageEvenOnAChineseSystem() {
        Locale system = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            I18n i18n = new I18n(Locale.ENGLISH);
            assertEquals("Open", i18n.get("toolbar.open"));
            i18n.setLocale(Locale.TRADITIONAL_CHINESE);
            assertEquals("打开", i18n.get("toolbar.open"));
            assertEquals(Locale.SIMPLIFIED_CHINESE, i18n.getLocale());
        } finally {
            Locale.setDefault(system);
        }
    }

    @Test
    void bindingsFollowTheLocaleAndFormatArguments() {
        I18n i18n = new I18n(Locale.US);
        var text = i18n.text("error.open", "a.jpg", "broken");
        assertEquals("Couldn't open a.jpg: broken", text.get());
        i18n.setLocale(Locale.CHINA);
        assertEquals("无法打开 a.jpg：broken", text.get());
    }
}
