package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher scripts a person runs: the repository's {@code ./pastiche} (on the built jar) and the
 * installed {@code /usr/bin/pastiche} ({@code installer/linux/pastiche.sh}). The short command-line runs
 * get the C1 compiler only and the serial collector, the app and {@code bench} the defaults; telemetry
 * is off in both; the arguments reach the program unchanged. The scripts run against stand-ins (a
 * {@code java} and launchers that print what they were given), so no JVM starts.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "shell scripts")
class LauncherScriptsTest {
    private static final String C1 = "-XX:TieredStopAtLevel=1";
    private static final String SERIAL = "-XX:+UseSerialGC";

    @TempDir
    Path dir;

    /** A program that prints its name, ORT_DISABLE_TELEMETRY and each argument on its own line. */
    private static void standIn(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho \"$(basename \"$0\") telemetry=$ORT_DISABLE_TELEMETRY\"\n"
                + "for a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> run(Path script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().remove("ORT_DISABLE_TELEMETRY");
        pb.environment().remove("PASTICHE_JAVA_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    /** ./pastiche in a copy of the repository's layout, with the stand-in java first on PATH. */
    private Path repositoryLauncher(boolean withArchive) throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("target"));
        Files.copy(Path.of("pastiche"), repo.resolve("pastiche"));
        Files.writeString(repo.resolve("target/pastiche.jar"), "");
        if (withArchive) {
            Files.writeString(repo.resolve("target/pastiche.jsa"), "");
        }
        standIn(dir.resolve("bin/java"));
        return repo.resolve("pastiche");
    }

    @Test
    void theRepositoryLauncherGivesCommandLineRunsC1AndTheSerialCollector() throws Exception {
        Path launcher = repositoryLauncher(true);
        Path repo = launcher.getParent();
        List<String> stylize = run(launcher, "stylize", "--style", "candy", "-o", "out put.png", "a photo.jpg");
        assertEquals("java telemetry=1", stylize.get(0));
        assertEquals(List.of("-XX:SharedArchiveFile=" + repo.resolve("target/pastiche.jsa"), C1, SERIAL, "-jar",
                repo.resolve("target/pastiche.jar").toString(), "stylize", "--style", "candy", "-o", "out put.png",
                "a photo.jpg"), stylize.subList(1, stylize.size()));
        for (String cli : List.of("styles", "--help", "--version")) {
            List<String> out = run(launcher, cli);
            assertTrue(out.contains(C1) && out.contains(SERIAL), cli + ": " + out);
        }
    }

    @Test
    void theAppAndBenchKeepTheDefaultCompilersAndCollector() throws Exception {
        Path launcher = repositoryLauncher(true);
        for (List<String> args : List.of(List.<String>of(), List.of("photo.jpg"), List.of("bench", "--runs", "3"))) {
            List<String> out = run(launcher, args.toArray(String[]::new));
            assertFalse(out.contains(C1) || out.contains(SERIAL), args + ": " + out);
            assertTrue(out.get(1).startsWith("-XX:SharedArchiveFile="), args + ": " + out);
            assertEquals(args, out.subList(out.indexOf("-jar") + 2, out.size()));
        }
    }

    @Test
    void withoutAnArchiveOrAJarTheRepositoryLauncherSaysWhatToDo() throws Exception {
        Path launcher = repositoryLauncher(false);
        List<String> out = run(launcher, "styles");
        assertFalse(String.join(" ", out).contains("SharedArchiveFile"), out.toString());
        Files.delete(launcher.resolveSibling("target/pastiche.jar"));
        Process p = new ProcessBuilder("bash", launcher.toString(), "styles").redirectErrorStream(true).start();
        String message = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(message.contains("mvn -q -DskipTests package"), message);
    }

    @Test
    void theInstalledCommandSendsCommandLineRunsToTheCommandLineLauncher() throws Exception {
        // installer/linux/pastiche.sh with /opt/pastiche moved into the temporary folder
        Path opt = dir.resolve("opt/pastiche");
        standIn(opt.resolve("bin/Pastiche"));
        standIn(opt.resolve("bin/pastiche-cli"));
        Path script = dir.resolve("usr-bin-pastiche");
        Files.writeString(script, Files.readString(Path.of("installer/linux/pastiche.sh"))
                .replace("/opt/pastiche/", opt + "/"));
        assertEquals(List.of("pastiche-cli telemetry=1", "stylize", "-s", "candy", "my photo.jpg"),
                run(script, "stylize", "-s", "candy", "my photo.jpg"));
        for (String cli : List.of("styles", "--help", "--version")) {
            assertEquals("pastiche-cli telemetry=1", run(script, cli).get(0), cli);
        }
        assertEquals(List.of("Pastiche telemetry=1"), run(script));
        assertEquals(List.of("Pastiche telemetry=1", "photo.jpg"), run(script, "photo.jpg"));
        assertEquals(List.of("Pastiche telemetry=1", "bench"), run(script, "bench"));
        // the command-line launcher's options: C1 only, the serial collector, and the app's own three
        String props = Files.readString(Path.of("installer/linux/pastiche-cli.properties"));
        String options = props.lines().filter(l -> l.startsWith("java-options=")).findFirst().orElseThrow();
        for (String o : List.of(C1, SERIAL, "-Dpastiche.models.dir=$APPDIR/models",
                "-Dpastiche.assets.dir=$APPDIR/assets", "-Donnxruntime.native.path=$APPDIR/native")) {
            assertTrue(options.contains(o), o + " in " + options);
        }
    }
}
