package org.pastiche.ui.gallery;

import java.util.Locale;
import java.util.regex.Pattern;

/** Reads what a catalog licence string means for the person using a style. */
public final class StyleLicence {
    private static final Pattern NON_COMMERCIAL =
            Pattern.compile("non[- ]?commercial|\\bNC\\b|research only|personal use", Pattern.CASE_INSENSITIVE);

    private StyleLicence() { }

    /** True for licences such as CC BY-NC or "non-commercial research only". */
    public static boolean isNonCommercial(String licence) {
        return licence != null && NON_COMMERCIAL.matcher(licence).find();
    }

    public static String normalise(String licence) {
        return licence == null || licence.isBlank() ? "—" : licence.strip();
    }

    static boolean isChinese(Locale locale) {
        return "zh".equals(locale.getLanguage());
    }
}
