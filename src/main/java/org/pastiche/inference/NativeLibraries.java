package org.pastiche.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pastiche.core.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's native libraries, kept in a cache folder across runs. Left alone, ONNX Runtime's
 * Java binding copies them out of the jar into a new temporary folder on every start (28 MB on
 * Linux x64): measured on the busy 2-core machine, 0.26 s of CPU and up to 15 s of wall time of a
 * one-shot {@code stylize} (docs/engine.md). Here they are copied once into
 * {@code <cache>/onnxruntime-<size>/} (atomically, by {@link AtomicFiles}) and ONNX Runtime
 * is pointed there through its {@code onnxruntime.native.path} property. Nothing is done if that
 * property is set already, or the libraries are not in the jar; any failure leaves ONNX Runtime to
 * its own way. The cache: {@code pastiche.cache.dir}, else {@code $XDG_CACHE_HOME/pastiche} or
 * {@code ~/.cache/pastiche}.
 */
final class NativeLibraries {
    static final String ORT_PATH_PROPERTY = "onnxruntime.native.path";
    static final String CACHE_PROPERTY = "pastiche.cache.dir";
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

    private NativeLibraries() {}

    /** Points ONNX Runtime at the cached libraries, copying them there first if needed. Call before any ORT class loads. */
    static void useCache() {
        if (System.getProperty(ORT_PATH_PROPERTY) != null) {
            return;
        }
        try {
            prepare(cacheDir()).ifPresent(dir -> System.setProperty(ORT_PATH_PROPERTY, dir.toString()));
        } catch (IOException | RuntimeException e) {
            LOG.debug("ONNX Runtime's libraries not cached ({}); it extracts them itself", e.toString());
        }
    }

    /**
     * The folder under {@code cache} holding this platform's libraries, copied from the jar unless
     * they are there already with the same sizes; empty if the jar has none for this platform.
     */
    static Optional<Path> prepare(Path cache) throws IOException {
        String platform = platform();
        long total = 0;
        URL[] urls = new URL[LIBRARIES.size()];
        long[] sizes = new long[LIBRARIES.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = NativeLibraries.class.getResource("/ai/onnxruntime/native/" + platform + "/"
                    + System.mapLibraryName(LIBRARIES.get(i)));
            if (urls[i] == null) {
                return Optional.empty();
            }
            URLConnection c = urls[i].openConnection();
            sizes[i] = c.getContentLengthLong();
            if (sizes[i] <= 0) {
                return Optional.empty();
            }
            total += sizes[i];
        }
        // The sizes name the folder, so that another ONNX Runtime build gets a folder of its own.
        Path dir = cache.resolve("onnxruntime-" + platform + "-" + Long.toHexString(total));
        Files.createDirectories(dir);
        for (int i = 0; i < urls.length; i++) {
            Path file = dir.resolve(System.mapLibraryName(LIBRARIES.get(i)));
            if (Files.isRegularFile(file) && Files.size(file) == sizes[i]) {
                continue;
            }
            URL url = urls[i];
            long size = sizes[i];
            AtomicFiles.write(file, out -> {
                try (InputStream in = url.openStream()) {
                    if (in.transferTo(out) != size) {
                        throw new IOException("short copy of " + file.getFileName());
                    }
                }
            });
            LOG.debug("copied {} to {}", file.getFileName(), dir);
        }
        return Optional.of(dir);
    }

    static Path cacheDir() {
        String prop = System.getProperty(CACHE_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "pastiche");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "pastiche");
    }

    /** ONNX Runtime's name for this platform's folder in the jar (linux-x64, osx-aarch64, win-x64 ...). */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
        String a = arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x64";
        return o + "-" + a;
    }
}
