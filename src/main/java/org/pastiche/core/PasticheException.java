package org.pastiche.core;

/** A failure with a message meant for the person using the app: names the file and the reason. */
public class PasticheException extends Exception {
    public PasticheException(String message) {
        super(message);
    }

    public PasticheException(String message, Throwable cause) {
        super(message, cause);
    }
}
