package org.pastiche.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ONNX Runtime environment of this JVM so that the app sends nothing and leaves nothing
 * behind.
 *
 * <p>Telemetry: the Linux and macOS builds of ONNX Runtime 1.29 start a telemetry client with their
 * first environment; it writes a device id and an event queue under
 * {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime/} and uploads them to its vendor's events host.
 * Only the environment variable {@value #DISABLE_VARIABLE}, read before the environment is created,
 * prevents all of it (Pastiche's launcher sets it: {@code org.pastiche.app.TelemetryFreeLaunch});
 * {@link OrtEnvironment#setTelemetry(boolean) setTelemetry(false)}, called here right after the
 * creation, stops the events of sessions and runs where the variable is missing (and is the switch on
 * Windows).
 *
 * <p>Temporary folder: the Java binding extracts its native libraries into a new
 * {@code /tmp/onnxruntime-java*} folder on every start and asks the JVM to delete the folder before
 * the libraries in it, so an empty folder stays after each run. The libraries are loaded (mapped) once
 * the environment exists, so on Linux and macOS they are removed here at once (only with telemetry off:
 * ONNX Runtime's telemetry client crashed the JVM when its library file had been removed).
 */
public final class QuietOrtEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(QuietOrtEnvironment.class);

    /** Read by ONNX Runtime when its first environment is created; any value turns telemetry off. */
    public static final String DISABLE_VARIABLE = "ORT_DISABLE_TELEMETRY";

    private QuietOrtEnvironment() { }

    public static OrtEnvironment create(OrtLoggingLevel level, String name) {
        if (System.getenv(DISABLE_VARIABLE) == null) {
            LOG.debug("{} is not set: ONNX Runtime may record its start before telemetry is switched off",
                    DISABLE_VARIABLE);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment(level, name);
        try {
            env.setTelemetry(false);
        } catch (OrtException e) {
            LOG.warn("could not switch ONNX Runtime telemetry off: {}", e.getMessage());
        }
        if (System.getenv(DISABLE_VARIABLE) != null) {
            // (not while the telemetry client runs: it crashed the JVM once its library file was gone)
            removeExtractedLibraries();
        }
        return env;
    }

    /** The folder the Java binding extracted its libraries into, if it did (not with onnxruntime.native.path). */
    static Path extractionFolder() {
        try {
            Class<?> runtime = Class.forName("ai.onnxruntime.OnnxRuntime");
            Field f = runtime.getDeclaredField("tempDirectory");
            f.setAccessible(true);
            return (Path) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("no ONNX Runtime extraction folder to remove: {}", e.toString());
            return null;
        }
    }

    private static void removeExtractedLibraries() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return; // loaded DLLs cannot be deleted; ONNX Runtime's own delete-on-exit handles the files
        }
        Path dir = extractionFolder();
        if (dir == null || !dir.getFileName().toString().startsWith("onnxruntime-java") || !Files.isDirectory(dir)) {
            return;
        }
        try {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Files.deleteIfExists(f); // a mapped library stays usable after its name is removed
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", dir, e.toString());
        }
    }
}
