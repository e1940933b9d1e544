package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {
    @Test
    void copiesOnceAndRepairsAShortCopy(@TempDir Path cache) throws Exception {
        Optional<Path> dir = NativeLibraries.prepare(cache);
        Assumptions.assumeTrue(dir.isPresent(), "no ONNX Runtime libraries for " + NativeLibraries.platform());
        Path lib = dir.get().resolve(System.mapLibraryName("onnxruntime"));
        Path jni = dir.get().resolve(System.mapLibraryName("onnxruntime4j_jni"));
        long size = Files.size(lib);
        assertTrue(size > 1_000_000 && Files.size(jni) > 10_000, size + " bytes");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(lib, old);
        assertEquals(dir, NativeLibraries.prepare(cache));
        assertEquals(old, Files.getLastModifiedTime(lib), "a good copy is kept, not copied again");
        Files.write(lib, new byte[10]); // a broken copy
        NativeLibraries.prepare(cache);
        assertEquals(size, Files.size(lib), "a wrong size is copied again");
        try (var files = Files.list(dir.get())) {
            assertEquals(2, files.count(), "no temporary file is left");
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Written by AtomicFiles: created like any new file, so the umask decides (not a temp file's 0600).
            Path plain = Files.createFile(cache.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(lib));
        }
    }

    /** The engine loads ONNX Runtime from the cache (the tests' cache is target/cache). */
    @Test
    void onnxRuntimeIsLoadedFromTheCache() throws Exception {
        try (ModelRegistry registry = TinyModel.registry()) {
            registry.load("tiny");
        }
        String path = System.getProperty(NativeLibraries.ORT_PATH_PROPERTY);
        Assumptions.assumeTrue(NativeLibraries.prepare(NativeLibraries.cacheDir()).isPresent(), "no libraries in the jar");
        assertEquals(NativeLibraries.prepare(NativeLibraries.cacheDir()).get().toString(), path);
    }
}
