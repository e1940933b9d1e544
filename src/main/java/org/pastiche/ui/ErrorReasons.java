package org.pastiche.ui;

import java.util.Locale;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;
import org.pastiche.inference.StyleModel;

/**
 * Says why something failed in the UI language: an engine failure's {@link Reason} through the
 * bundles ({@code reason.<code>}); a failure without a code as a generic message with its raw text.
 */
public final class ErrorReasons {
    private ErrorReasons() { }

    /** The bundle key of a reason code, e.g. {@code reason.too-many-pixels}. */
    public static String key(Reason reason) {
        return "reason." + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The reason for {@code error}, translated where it has a code. */
    public static String describe(I18n i18n, Throwable error) {
        return describe(i18n, error, null);
    }

    /** Why a style is unavailable: the catalog's reason has no code, so a generic text with it. */
    public static String unavailable(I18n i18n, StyleModel style) {
        return style.unavailableReason().map(raw -> i18n.get("style.unavailable.reason", raw))
                .orElseGet(() -> i18n.get(key(Reason.MODEL_UNAVAILABLE)));
    }

    /**
     * As {@link #describe(I18n, Throwable)}; {@code prefix} (such as the file's path, which the
     * notice names already) is cut from the start of an untranslated message.
     */
    public static String describe(I18n i18n, Throwable error, String prefix) {
        if (error instanceof PasticheException p && p.reason() != Reason.UNSPECIFIED) {
            return i18n.get(key(p.reason()), p.arguments().toArray());
        }
        if (error instanceof OutOfMemoryError) {
            return i18n.get(key(Reason.OUT_OF_MEMORY));
        }
        String raw = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        if (prefix != null && raw.startsWith(prefix + ": ")) {
            raw = raw.substring(prefix.length() + 2);
        }
        return i18n.get(key(Reason.UNSPECIFIED), raw);
    }

    /** "Couldn't open NAME: why", for a photo the loader could not open (too small, or the decoder's reason). */
    public static String openFailed(I18n i18n, org.pastiche.ui.photo.PhotoLoader.Failure failure) {
        String why = failure.error() instanceof org.pastiche.ui.photo.PhotoLoader.TooSmallException small
                ? i18n.get("error.too-small", small.width(), small.height(), org.pastiche.ui.photo.PhotoLoader.MIN_SIDE)
                : describe(i18n, failure.error(), failure.file().map(java.nio.file.Path::toString).orElse(null));
        return i18n.get("error.open", failure.name(), why);
    }

    /** "Style NAME failed: why". */
    public static String styleFailed(I18n i18n, String styleName, Throwable error) {
        return i18n.get("error.stylize", styleName, describe(i18n, error));
    }
}
