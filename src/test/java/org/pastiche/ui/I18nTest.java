package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

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
