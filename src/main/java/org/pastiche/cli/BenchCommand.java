package org.pastiche.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.ImageMetrics;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;
import org.pastiche.inference.BareSessionRun;
import org.pastiche.inference.LoadedModel;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.OnnxStylizer;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.SessionSettings;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.TilingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the engine on synthetic photos.",
            "Default: latency per style at preview size (512 px long side) and at 2 MP, against a bare",
            "ONNX Runtime session run on the same tensor, measured alternately in one process.",
            "--tiling: tiled vs whole PSNR on a 2 MP image, with 0, 1, 2 refinement passes of the statistics.",
            "--megapixels N: time and peak memory for N MP.",
            "--phases: where a whole run's time goes (catalog, session, decode, first and warm inference,",
            "post-processing, PNG and JPEG encoding) on --image or a synthetic 2 MP photo, one after the other",
            "(stylize decodes alongside the session's creation instead).",
            "--png FILE: the PNG encoders (ImageIO's writer, the exporter's) on FILE's pixels."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--style", paramLabel = "ID", description = "Style(s) to measure (default: all available).")
    List<String> styles;

    @Option(names = "--size", paramLabel = "WxH", split = ",",
            description = "Latency: image sizes (default: 512x384,1632x1224).")
    List<String> sizes;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Timed runs per case (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--tiling", description = "Tiled vs whole PSNR on a 2 MP image.")
    boolean tiling;

    @Option(names = "--image", paramLabel = "FILE",
            description = "With --tiling: a photo (scaled to 2 MP) instead of the synthetic image; with --phases: the photo.")
    Path image;

    @Option(names = "--megapixels", paramLabel = "MP", description = "Stylize one synthetic image of MP megapixels; print time and peak RSS.")
    Double megapixels;

    @Option(names = "--tile", paramLabel = "PX", description = "Tile size (default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int tile;

    @Option(names = "--overlap", paramLabel = "PX", description = "Tile overlap (default: ${DEFAULT-VALUE}).", defaultValue = "128")
    int overlap;

    @Option(names = "--stats-side", paramLabel = "PX", defaultValue = "1024",
            description = "Long side of the copy the shared statistics come from (default: ${DEFAULT-VALUE}).")
    int statsSide;

    @Option(names = "--stats-passes", paramLabel = "N",
            description = "Refinement passes of the tiled statistics: with --megapixels, this many (default: by size, "
                    + "as stylize); with --tiling, 0 to N side by side (default: 2).")
    Integer statsPasses;

    @Option(names = "--phases", description = "Where a whole run's time goes, first and warm inference side by side.")
    boolean phases;

    @Option(names = "--png", paramLabel = "FILE",
            description = "PNG encoders on FILE's pixels: ImageIO's writer against the exporter's on one thread and on "
                    + "every core, --runs rounds alternating after a warm-up round (wall and process CPU ms, bytes, "
                    + "whether the pixels come back).")
    Path png;

    @Option(names = "--no-arena", description = "Session option: no CPU memory arena (default: on).")
    boolean noArena;

    @Option(names = "--no-memory-pattern", description = "Session option: no memory pattern.")
    boolean noMemoryPattern;

    @Option(names = "--spinning", description = "Session option: idle threads spin-wait (default: they sleep).")
    boolean spinning;

    @Option(names = "--style-image", paramLabel = "PAINTING",
            description = "Measure a painting as the style (an arbitrary-style network): the style encoder's time, "
                    + "then the cases above with that style.")
    Path styleImage;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        check();
        out = spec.commandLine().getOut();
        if (png != null) {
            pngEncoders(png);
            return PasticheCli.OK;
        }
        Phases clock = phases ? Phases.sinceProcessStart() : Phases.off();
        SessionSettings settings = new SessionSettings(0, !noMemoryPattern, !noArena, spinning);
        TilingSettings tilingSettings = TilingSettings.DEFAULT.withTile(tile, overlap).withStatsLongSide(statsSide);
        if (statsPasses != null && megapixels != null) {
            tilingSettings = tilingSettings.withStatsPasses(statsPasses);
        }
        try (ModelRegistry registry = engine.openRegistry(settings);
                OnnxStylizer stylizer = new OnnxStylizer(registry, tilingSettings)) {
            clock.end("catalog");
            List<String> ids = styles != null ? styles
                    : registry.styles().stream().filter(StyleModel::available).map(StyleModel::id).toList();
            if (styleImage != null) { // the painting, after the --style ones (if any) for comparison
                List<String> with = new java.util.ArrayList<>(styles != null ? styles : List.of());
                with.add(paintingStyle(registry));
                ids = with;
            }
            if (ids.isEmpty()) {
                spec.commandLine().getErr().println("pastiche: no styles to measure (use --models DIR)");
                return PasticheCli.FAILED;
            }
            out.printf(Locale.ROOT, "ONNX Runtime on %d threads, arena %s, memory pattern %s, spinning %s; %d cores; Java %s%n",
                    registry.settings().effectiveThreads(), on(!noArena), on(!noMemoryPattern), on(spinning),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            if (phases) {
                phases(stylizer, ids.get(0), clock);
            } else if (megapixels != null) {
                large(stylizer, ids.get(0), megapixels);
            } else if (tiling) {
                for (String id : ids) {
                    tiling(registry, id, tilingSettings);
                }
            } else {
                latency(stylizer, registry, ids);
            }
        }
        out.flush();
        return PasticheCli.OK;
    }

    /** Usage errors (exit 2) for values the measurements cannot use. */
    private void check() {
        OptionChecks c = new OptionChecks(spec.commandLine());
        c.range("--runs", runs, 1, 1000);
        c.range("--megapixels", megapixels, 0.01, 150.0);
        c.range("--tile", tile, 64, 8192);
        c.range("--overlap", overlap, 0, tile / 3);
        c.range("--stats-side", statsSide, 16, 8192);
        c.range("--stats-passes", statsPasses, 0, 20);
        engine.check();
    }

    /**
     * Registers --style-image as a style exactly as {@code stylize --style-image} does
     * ({@link PaintingStyleOptions#register}: the same network choice, checks and messages; its
     * encode is the warm-up), then times the style encoder (median of --runs).
     */
    private String paintingStyle(ModelRegistry registry) throws PasticheException {
        PaintingStyleOptions options = PaintingStyleOptions.of(styleImage);
        ImageDecoder decoder = new ImageDecoder();
        String id = options.register(registry, decoder, CancellationToken.none(), out);
        PaintingStyles p = registry.paintings();
        String net = options.network(p);
        RgbaImage painting = decoder.decode(styleImage);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            p.encode(net, painting, 0, CancellationToken.none());
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        out.printf(Locale.ROOT, "%s: style encoder on %s (%dx%d, scaled to %d px long side): %.1f ms (median of %d)%n",
                net, styleImage.getFileName(), painting.width(), painting.height(), p.network(net).get().styleSize(),
                median(ms), runs);
        return id;
    }

    private static String on(boolean b) {
        return b ? "on" : "off";
    }

    private void latency(OnnxStylizer stylizer, ModelRegistry registry, List<String> ids) throws Exception {
        out.printf(Locale.ROOT, "%-14s %-10s %9s %11s %8s %7s %14s %11s%n", "style", "size", "java ms", "bare ORT ms",
                "ratio", "Δ ms", "in-call Java ms", "CPU ms/run");
        for (String id : ids) {
            long t0 = System.nanoTime();
            LoadedModel model = registry.load(id);
            out.printf(Locale.ROOT, "%-14s session created in %.0f ms%n", id, (System.nanoTime() - t0) / 1e6);
            for (int[] size : latencySizes()) {
                RgbaImage img = SyntheticImage.photoLike(size[0], size[1], 42);
                double[][] times = sideBySide(stylizer, model, img);
                double java = median(times[0]);
                double bare = median(times[1]);
                // Medians of alternating runs; and, immune to load that changes between runs, the
                // Java share of each pipeline call itself (its wall time minus its time inside ORT).
                // CPU time per pipeline run: what the wall time would be on idle cores, times the threads
                // (the mean: the process's CPU clock counts in 10 ms ticks, too coarse for one preview run).
                out.printf(Locale.ROOT, "%-14s %-10s %9.1f %11.1f %8.3f %7.1f %14.1f %11.1f%n", id,
                        size[0] + "x" + size[1], java, bare, java / bare, java - bare, median(times[2]),
                        mean(times[3]));
                out.flush();
            }
        }
    }

    private int[][] latencySizes() {
        if (sizes == null) {
            return new int[][] {{512, 384}, {1632, 1224}};
        }
        int[][] out = new int[sizes.size()][];
        for (int i = 0; i < out.length; i++) {
            String[] wh = sizes.get(i).toLowerCase(Locale.ROOT).split("x");
            try {
                out[i] = new int[] {Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())};
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new ParameterException(spec.commandLine(), "--size: WxH, e.g. 512x384, not "
                        + sizes.get(i));
            }
            if (out[i][0] < 8 || out[i][1] < 8) {
                throw new ParameterException(spec.commandLine(), "--size: at least 8x8");
            }
        }
        return out;
    }

    /** Times the whole Java pipeline and a bare session run on the same padded tensor, alternately. */
    private double[][] sideBySide(OnnxStylizer stylizer, LoadedModel model, RgbaImage img) throws Exception {
        double[] java = new double[runs];
        double[] bare = new double[runs];
        double[] javaSide = new double[runs];
        double[] cpu = new double[runs];
        try (BareSessionRun bareRun = BareSessionRun.of(model, img)) {
            String id = model.style().id();
            stylizer.stylize(img, id, ProgressListener.NONE, CancellationToken.none()); // warm-up
            bareRun.run();
            for (int i = 0; i < runs; i++) {
                long cpu0 = processCpuNanos();
                long a = System.nanoTime();
                RgbaImage r = stylizer.stylize(img, id, ProgressListener.NONE, CancellationToken.none());
                stylizer.finish(img, r, StyleOptions.DEFAULT);
                long b = System.nanoTime();
                javaSide[i] = (b - a - OnnxStylizer.ortNanosOfLastCall()) / 1e6;
                cpu[i] = (processCpuNanos() - cpu0) / 1e6;
                bareRun.run();
                long c = System.nanoTime();
                java[i] = (b - a) / 1e6;
                bare[i] = (c - b) / 1e6;
            }
        }
        return new double[][] {java, bare, javaSide, cpu};
    }

    /**
     * One photo as {@code stylize} runs it, phase by phase, with the inference run a second time on
     * the same size: the difference is what ONNX Runtime spends on a shape it has not seen.
     */
    private void phases(OnnxStylizer stylizer, String id, Phases clock) throws Exception {
        stylizer.registry().load(id);
        clock.end("session creation");
        RgbaImage img = image != null ? new ImageDecoder().decode(image) : SyntheticImage.photoLike(1632, 1224, 42);
        clock.end(image != null ? "decode" : "synthetic photo");
        RgbaImage r = stylizer.stylize(img, id, ProgressListener.NONE, CancellationToken.none());
        clock.endInference("inference, first run", OnnxStylizer.ortNanosOfLastCall());
        r = stylizer.stylize(img, id, ProgressListener.NONE, CancellationToken.none());
        clock.endInference("inference, warm run", OnnxStylizer.ortNanosOfLastCall());
        RgbaImage f = stylizer.finish(img, r, new StyleOptions(0.8, false));
        clock.end("post-processing (strength 0.8)");
        Path dir = Files.createTempDirectory("pastiche-bench");
        try {
            Path png = dir.resolve("out.png");
            Path jpg = dir.resolve("out.jpg");
            ImageExporter.write(f, png);
            clock.end("encode, write PNG", String.format(Locale.ROOT, "%.1f MB", Files.size(png) / 1e6));
            ImageExporter.write(f, jpg);
            clock.end("encode, write JPEG", String.format(Locale.ROOT, "%.1f MB", Files.size(jpg) / 1e6));
            Files.delete(png);
            Files.delete(jpg);
        } finally {
            Files.deleteIfExists(dir);
        }
        clock.print(out, String.format(Locale.ROOT, "%s on %dx%d (%.2f MP), %s:", id, img.width(), img.height(),
                img.pixelCount() / 1e6, image != null ? image.getFileName() : "synthetic"));
        out.printf(Locale.ROOT, "first run / warm run: %.3f%n", clock.wallNanos("inference, first run")
                / (double) clock.wallNanos("inference, warm run"));
    }

    private void pngEncoders(Path file) throws Exception {
        RgbaImage img = new ImageDecoder().decode(file);
        int cores = Runtime.getRuntime().availableProcessors();
        String[] names = {"imageio", "ours, 1 thread", "ours, " + cores + " threads"};
        double[][] wall = new double[names.length][runs];
        double[][] cpu = new double[names.length][runs];
        long[] bytes = new long[names.length];
        boolean[] same = new boolean[names.length];
        for (int r = -1; r < runs; r++) { // round -1: warm-up
            for (int k = 0; k < names.length; k++) {
                java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(3 * img.argb().length + 4096);
                long c0 = Phases.cpuNanos();
                long t0 = System.nanoTime();
                ImageExporter.encodePngWith(k == 0 ? "imageio" : "ours", k == 2 ? cores : 1, img, buf);
                long t1 = System.nanoTime();
                long c1 = Phases.cpuNanos();
                if (r < 0) {
                    bytes[k] = buf.size();
                    Path tmp = Files.createTempFile("pastiche-bench", ".png");
                    try {
                        Files.write(tmp, buf.toByteArray());
                        same[k] = Arrays.equals(img.argb(), new ImageDecoder().decode(tmp).argb());
                    } finally {
                        Files.delete(tmp);
                    }
                } else {
                    wall[k][r] = (t1 - t0) / 1e6;
                    cpu[k][r] = (c1 - c0) / 1e6;
                }
            }
        }
        out.printf(Locale.ROOT, "PNG encoders on %s (%dx%d, %s), median of %d rounds:%n", file.getFileName(), img.width(),
                img.height(), img.hasAlpha() ? "RGBA" : "RGB", runs);
        for (int k = 0; k < names.length; k++) {
            out.printf(Locale.ROOT, "  %-18s %7.1f ms wall %7.1f ms CPU %10d bytes  pixels %s%n", names[k],
                    median(wall[k]), median(cpu[k]), bytes[k], same[k] ? "identical" : "DIFFER");
        }
        out.flush();
    }

    private void tiling(ModelRegistry registry, String id, TilingSettings base) throws PasticheException {
        RgbaImage img = image == null ? SyntheticImage.photoLike(1632, 1224, 7)
                : Resize.toPixelCount(new ImageDecoder().decode(image), 1632 * 1224);
        out.printf(Locale.ROOT, "%s on %s %dx%d (%.2f MP): tiles %d px, overlap %d px, stats from a %d px copy%n", id,
                image == null ? "a synthetic image" : image.getFileName().toString(), img.width(), img.height(), img.pixelCount() / 1e6, base.tileSize(), base.overlap(),
                base.statsLongSide());
        RgbaImage whole = timed("whole", registry, base.neverTile(), img, id, null, 0);
        int maxPasses = statsPasses != null ? statsPasses : 2;
        boolean refinable = registry.load(id).canRefineStatistics();
        if (!refinable) {
            out.printf(Locale.ROOT, "  (%s's tile model has no moments: no refinement passes)%n", id);
            maxPasses = 0;
        }
        // Time ratios against the 0-pass run, measured in this process one after the other.
        double base0 = 0;
        for (int p = 0; p <= maxPasses; p++) {
            double[] ms = new double[1];
            timedInto(ms, "tiled, shared stats, " + p + " pass" + (p == 1 ? "" : "es"), registry,
                    base.alwaysTile().withStatsPasses(p), img, id, whole, base0);
            if (p == 0) {
                base0 = ms[0];
            }
        }
        timed("tiled, per-tile stats", registry, base.alwaysTile().withSharedStats(false), img, id, whole, base0);
    }

    private RgbaImage timed(String label, ModelRegistry registry, TilingSettings settings, RgbaImage img, String id,
            RgbaImage reference, double baseMs) throws PasticheException {
        return timedInto(new double[1], label, registry, settings, img, id, reference, baseMs);
    }

    private RgbaImage timedInto(double[] msOut, String label, ModelRegistry registry, TilingSettings settings,
            RgbaImage img, String id, RgbaImage reference, double baseMs) throws PasticheException {
        OnnxStylizer s = new OnnxStylizer(registry, settings);
        long cpu0 = processCpuNanos();
        long a = System.nanoTime();
        RgbaImage r = s.stylize(img, id, ProgressListener.NONE, CancellationToken.none());
        double ms = (System.nanoTime() - a) / 1e6;
        double cpu = (processCpuNanos() - cpu0) / 1e6;
        msOut[0] = ms;
        if (reference == null) {
            out.printf(Locale.ROOT, "  %-32s %8.0f ms  CPU %8.0f ms%n", label, ms, cpu);
        } else {
            out.printf(Locale.ROOT, "  %-32s %8.0f ms  CPU %8.0f ms%s   PSNR vs whole %6.2f dB, max diff %d, %.4f of pixels the same%n",
                    label, ms, cpu, baseMs > 0 ? String.format(Locale.ROOT, " (x%.2f)", ms / baseMs) : "        ",
                    ImageMetrics.psnr(reference, r), ImageMetrics.maxAbsDifference(reference, r),
                    ImageMetrics.sameShare(reference, r));
        }
        out.flush();
        return r;
    }

    private void large(OnnxStylizer stylizer, String id, double mp) throws PasticheException {
        int w = (int) Math.round(Math.sqrt(mp * 1e6 * 4 / 3));
        int h = (int) Math.round(w * 3 / 4.0);
        long a = System.nanoTime();
        RgbaImage img = SyntheticImage.photoLike(w, h, 3);
        out.printf(Locale.ROOT, "%s on %dx%d (%.1f MP): image made in %.1f s, peak RSS so far %s; %d refinement pass(es)%n",
                id, w, h, img.pixelCount() / 1e6, (System.nanoTime() - a) / 1e9, mib(peakRssKib()),
                stylizer.registry().load(id).canRefineStatistics()
                        ? stylizer.tiling().passesFor(img.pixelCount(), stylizer.registry().load(id).style().snapped()) : 0);
        out.flush();
        long b = System.nanoTime();
        RgbaImage r = stylizer.stylize(img, id, ProgressListener.NONE, CancellationToken.none());
        long c = System.nanoTime();
        RgbaImage f = stylizer.finish(img, r, new StyleOptions(0.8, false));
        long d = System.nanoTime();
        out.printf(Locale.ROOT, "  stylize %.1f s, finish (strength 0.8) %.2f s; peak RSS %s, max heap %s%n",
                (c - b) / 1e9, (d - c) / 1e9, mib(peakRssKib()), mib(Runtime.getRuntime().maxMemory() / 1024));
        if (f.width() != w) {
            throw new IllegalStateException("unexpected size");
        }
    }

    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    /** VmHWM, the process's peak resident set, from /proc (Linux); -1 elsewhere. */
    static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
