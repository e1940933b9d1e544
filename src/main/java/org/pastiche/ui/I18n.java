package org.pastiche.ui;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The UI language: the resource bundle for the current locale and bindings that relabel live when
 * the locale changes. Supports English and Simplified Chinese.
 */
public final class I18n {
    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;
    public static final List<Locale> SUPPORTED = List.of(ENGLISH, CHINESE);

    private static final String BUNDLE = "org.pastiche.ui.messages";
    // Without this, asking for English on a Chinese system would fall back to the system's bundle.
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final ObjectProperty<Locale> locale = new SimpleObjectProperty<>(this, "locale");

    public I18n(Locale initial) {
        locale.set(supported(initial));
    }

    /** The supported locale closest to {@code wanted}: Chinese for any Chinese locale, else English. */
    public static Locale supported(Locale wanted) {
        return wanted != null && "zh".equals(wanted.getLanguage()) ? CHINESE : ENGLISH;
    }

    private static ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale, I18n.class.getClassLoader(), NO_FALLBACK);
    }

    public ObjectProperty<Locale> localeProperty() {
        return locale;
    }

    public Locale getLocale() {
        return locale.get();
    }

    public void setLocale(Locale value) {
        locale.set(supported(value));
    }

    /** The text for {@code key}, formatted with {@code args} by {@link MessageFormat} (so quotes are doubled). */
    public String get(String key, Object... args) {
        String pattern;
        try {
            // Looked up each time (ResourceBundle caches): bindings may re-read before any listener of ours runs.
            pattern = load(getLocale()).getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return new MessageFormat(pattern, getLocale()).format(args);
    }

    /** A binding that follows the locale. */
    public StringBinding text(String key, Object... args) {
        return Bindings.createStringBinding(() -> get(key, args), locale);
    }
}
