package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.inference.QuietOrtEnvironment;

/**
 * A fresh user runs the command line the way a person would, without {@code ORT_DISABLE_TELEMETRY} in
 * the environment: ONNX Runtime must write nothing into the home folder (its telemetry client keeps
 * a device id and an event queue in ~/.cache/Microsoft/DeveloperTools/.onnxruntime) and the Java
 * binding must leave no onnxruntime-java* folder in the temporary folder.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the relaunch and ONNX Runtime's telemetry folder are Linux/macOS")
class TelemetryFreeLaunchTest {
    @TempDir
    Path home;
    @TempDir
    Path tmp;

    private static Path tinyModels() throws Exception {
        return Path.of(TelemetryFreeLaunchTest.class.getResource("/models/tiny/catalog.json").toURI()).getParent();
    }

    @Test
    void aFreshUsersRunLeavesNoTelemetryAndNoTemporaryFolder() throws Exception {
        runStylesAsAFreshUser(); // libraries from the user's cache (NativeLibraries)
    }

    /** With no usable cache the Java binding extracts its libraries into the temporary folder; none may stay. */
    @Test
    void withoutTheLibraryCacheNoExtractedFolderStays() throws Exception {
        Path notAFolder = Files.writeString(home.resolve("cache-is-a-file"), "");
        runStylesAsAFreshUser("-Dpastiche.cache.dir=" + notAFolder);
    }

    private void runStylesAsAFreshUser(String... jvmOptions) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp, "-Djava.util.prefs.userRoot=" + home.resolve("prefs")));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of(Launcher.class.getName(), "styles", "--check", "--models", tinyModels().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove(QuietOrtEnvironment.DISABLE_VARIABLE); // as a person's shell has it
        pb.environment().remove("XDG_CACHE_HOME");
        pb.environment().put("HOME", home.toString()); // ONNX Runtime's native code reads the variable
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command line did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("tiny"), "the styles list names the tiny style: " + output);

        assertFalse(Files.exists(home.resolve(".cache/Microsoft")),
                "ONNX Runtime wrote into the home folder: " + listing(home));
        assertEquals(List.of(), onnxRuntimeFolders(tmp), "temporary folders left behind");
    }

    @Test
    void theOwnCommandLineIsKnownHere() {
        List<String> cmd = TelemetryFreeLaunch.ownCommandLine().orElseThrow();
        assertTrue(cmd.get(0).contains("java"), cmd.toString());
        assertTrue(cmd.size() > 1, cmd.toString());
    }

    private static List<Path> onnxRuntimeFolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("onnxruntime-java")).toList();
        }
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).toList().toString();
        }
    }
}
