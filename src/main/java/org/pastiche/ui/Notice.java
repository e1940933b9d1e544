package org.pastiche.ui;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A non-modal message for the person: shown briefly, never blocks.
 *
 * @param file a file the message is about, which the person can show in its folder (a saved export)
 */
public record Notice(Kind kind, String message, Optional<Path> file) {
    public enum Kind { INFO, SUCCESS, ERROR }

    public Notice {
        Objects.requireNonNull(file, "file");
    }

    public Notice(Kind kind, String message) {
        this(kind, message, Optional.empty());
    }

    public static Notice error(String message) {
        return new Notice(Kind.ERROR, message);
    }

    public static Notice info(String message) {
        return new Notice(Kind.INFO, message);
    }

    public static Notice success(String message) {
        return new Notice(Kind.SUCCESS, message);
    }

    /** A success about a file written, which can be shown in its folder. */
    public static Notice saved(String message, Path file) {
        return new Notice(Kind.SUCCESS, message, Optional.of(file));
    }
}
