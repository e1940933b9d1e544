package org.pastiche.ui;

/** A non-modal message for the person: shown briefly, never blocks. */
public record Notice(Kind kind, String message) {
    public enum Kind { INFO, SUCCESS, ERROR }

    public static Notice error(String message) {
        return new Notice(Kind.ERROR, message);
    }

    public static Notice info(String message) {
        return new Notice(Kind.INFO, message);
    }

    public static Notice success(String message) {
        return new Notice(Kind.SUCCESS, message);
    }
}
