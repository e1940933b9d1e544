package org.pastiche.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A failure with a message meant for the person using the app: names the file and the reason. The
 * message is English (the command line prints it); {@link #reason()} and {@link #arguments()} let a
 * UI say the same in its own language.
 */
public class PasticheException extends Exception {

    /** Why it failed, for translation. The arguments that go with each code are listed on it. */
    public enum Reason {
        /** No code was given: only the message says why. */
        UNSPECIFIED,
        FILE_NOT_FOUND,
        NOT_A_FILE,
        PERMISSION_DENIED,
        FILE_EMPTY,
        /** The file system refused to read the file. */
        FILE_UNREADABLE,
        UNSUPPORTED_FORMAT,
        /** A camera raw file (DNG, CR2, NEF, ...). Arguments: the kind. */
        CAMERA_RAW,
        /** A supported format in an unsupported variant. Arguments: what, e.g. "12-bit JPEG". */
        UNSUPPORTED_VARIANT,
        /** Metadata built to exhaust a reader (nesting, counts). Arguments: why, in English. */
        MALFORMED_METADATA,
        /** A symbolic link that points back to itself, directly or not. */
        SYMLINK_LOOP,
        /** Truncated, corrupt or an unreadable header. */
        CORRUPT_FILE,
        /** Arguments: width, height, the limit in megapixels. */
        TOO_MANY_PIXELS,
        OUT_OF_MEMORY,
        /** Arguments: the style id. */
        UNKNOWN_STYLE,
        /** Arguments: the style id. */
        MODEL_UNAVAILABLE,
        /** The model file does not match the model contract. */
        MODEL_INVALID,
        /** ONNX Runtime failed while running the network. */
        INFERENCE_FAILED,
        /** The network returned NaN or infinite values. */
        MODEL_OUTPUT_INVALID,
        /** Too small or too long and thin to paint. Arguments: width, height. */
        IMAGE_SHAPE,
        CATALOG_INVALID,
        UNSUPPORTED_OUTPUT_TYPE,
        OVERWRITES_INPUT,
        /** Arguments: the folder. */
        FOLDER_MISSING,
        /** Arguments: the folder. */
        FOLDER_NOT_WRITABLE,
        /** The output exists and overwriting was not asked for. Arguments: the file. */
        OUTPUT_EXISTS,
        /** No space left on the device. Arguments: the folder. */
        DISK_FULL,
        WRITE_FAILED
    }

    private final Reason reason;
    private final transient List<Object> arguments;

    public PasticheException(String message) {
        this(Reason.UNSPECIFIED, message, (Throwable) null);
    }

    public PasticheException(String message, Throwable cause) {
        this(Reason.UNSPECIFIED, message, cause);
    }

    public PasticheException(Reason reason, String message, Object... arguments) {
        this(reason, message, (Throwable) null, arguments);
    }

    public PasticheException(Reason reason, String message, Throwable cause, Object... arguments) {
        super(message, cause);
        this.reason = reason == null ? Reason.UNSPECIFIED : reason;
        this.arguments = arguments == null ? List.of() : Collections.unmodifiableList(Arrays.asList(arguments.clone()));
    }

    public Reason reason() {
        return reason;
    }

    /** Values that go with the reason (sizes, ids, folders), not translated. */
    public List<Object> arguments() {
        return arguments;
    }
}
