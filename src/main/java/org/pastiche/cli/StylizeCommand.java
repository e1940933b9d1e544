package org.pastiche.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.OnnxStylizer;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.TilingSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stylize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Paints photos in a style, at full resolution.",
            "Never writes over an input; every output is written to a temporary file, then renamed."})
final class StylizeCommand implements Callable<Integer> {
    @Option(names = {"-s", "--style"}, paramLabel = "ID", description = "Style id (see 'styles'); or --style-image.")
    String style;

    @Mixin
    PaintingStyleOptions painting;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (.png, .jpg), one input only.")
        Path output;

        @Option(names = "--output-dir", paramLabel = "DIR",
                description = "Output folder for many inputs: NAME-STYLE.png (see --format); created if needed.")
        Path outputDir;
    }

    @Option(names = {"-f", "--force"}, description = "Replace outputs that exist (default: refuse before any work).")
    boolean force;

    @Option(names = {"-n", "--no-clobber"}, description = "Skip inputs whose output exists.")
    boolean noClobber;

    @Option(names = "--strength", paramLabel = "0..1", defaultValue = "1.0",
            description = "Style strength: 0 = the original, 1 = full style (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(names = "--keep-colors", description = "Keep the photo's colours, take only light and texture from the style.")
    boolean keepColors;

    @Option(names = "--max-size", paramLabel = "PX",
            description = "Scale inputs down so that the longer side is at most PX pixels first.")
    Integer maxSize;

    @Option(names = "--format", paramLabel = "png|jpg", defaultValue = "png",
            description = "Output type with --output-dir (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--quality", paramLabel = "1..100", defaultValue = "92", description = "JPEG quality (default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--max-megapixels", paramLabel = "MP", defaultValue = "150",
            description = "Refuse inputs larger than this (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    @Option(names = "--stats-passes", paramLabel = "N",
            description = "Images above 2.1 MP (tiled): passes that make the normalisation statistics those of the "
                    + "full image, closer to an untiled run; each costs about one more run (default: 2 up to 4 MP, "
                    + "1 up to 6 MP, 0 above).")
    Integer statsPasses;

    @Option(names = "--stroke-scale", paramLabel = "S|native", defaultValue = "1",
            description = {"Stroke size relative to the picture, the same at any resolution: 1 = the look of the "
                    + "1024-px preview, 2 = strokes twice as large, 0.5 = finer (0.25..4); native = the network at "
                    + "the image's full resolution (finest strokes, slowest). Default: ${DEFAULT-VALUE}."})
    String strokeScale;

    @Mixin
    EngineOptions engine;

    @Parameters(arity = "1..*", paramLabel = "IN", description = "Input images: JPEG, PNG, BMP, GIF, TIFF, WebP.")
    List<Path> inputs;

    @Spec
    CommandSpec spec;

    /** The style's part of output names (fixed before a painting is registered). */
    private String outputTag;

    /** Tests force the bar off or on (then it is drawn on standard error); null = only on a terminal. */
    static Boolean forceProgressBar;

    @Override
    public Integer call() {
        Phases phases = engine.verbose ? Phases.sinceProcessStart() : Phases.off(); // --verbose: where the time went
        validate();
        java.util.Set<Path> skip = OutputChecks.check(spec.commandLine(), inputs, this::outputFor, force, noClobber);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StyleOptions options = new StyleOptions(strength, keepColors);
        long maxPixels = (long) (maxMegapixels * 1_000_000);
        CancellationToken cancel = new CancellationToken();
        Thread main = Thread.currentThread();
        // Ctrl-C: stop the network and give the current file a moment to clean up its temporary file.
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                main.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pastiche-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        int failures = 0;
        // The first photo is decoded on its own thread while this one reads the catalog and makes the session.
        int first = 0;
        while (first < inputs.size() && skip.contains(inputs.get(first))) {
            first++;
        }
        WarmUp.start();
        DecodeAhead ahead = first < inputs.size() ? new DecodeAhead(maxPixels, inputs.get(first), maxSize) : null;
        try (ModelRegistry registry = engine.openRegistry(); StrokeStylizer stylizer = new StrokeStylizer(
                new OnnxStylizer(registry, statsPasses == null ? TilingSettings.DEFAULT
                        : TilingSettings.DEFAULT.withStatsPasses(statsPasses)), strokes())) {
            phases.end("catalog");
            // made here, not first: its class's set-up (ImageIO's plugins) runs on the decode thread meanwhile
            ImageDecoder decoder = new ImageDecoder(maxPixels);
            try {
                if (painting.active()) { // a painting becomes a registered style; a bad one fails before any photo
                    style = painting.register(registry, decoder, cancel, out);
                }
                registry.load(style); // a bad style fails once, before any photo is reported (or written)
            } catch (PasticheException e) {
                err.println("pastiche: " + e.getMessage() + (style != null && registry.find(style).isEmpty()
                        ? "; known styles: " + String.join(", ", registry.styles().stream().map(s -> s.id()).toList())
                        : ""));
                return PasticheCli.FAILED;
            }
            phases.end("session creation");
            for (int i = 0; i < inputs.size(); i++) {
                Path input = inputs.get(i);
                Path output = outputFor(input);
                if (skip.contains(input)) {
                    out.printf(Locale.ROOT, "%s -> %s exists, skipped (--no-clobber)%n", input, output);
                    continue;
                }
                long start = System.nanoTime();
                String name = nameOf(input);
                ProgressBar progress = forceProgressBar == null ? ProgressBar.onTerminal(name)
                        : forceProgressBar ? new ProgressBar(err, name) : null;
                if (progress != null) {
                    progress.progress(0, 1); // at once: decoding and the statistics pass take a while
                }
                try {
                    RgbaImage original;
                    if (ahead != null && i == first) {
                        DecodeAhead decoding = ahead;
                        ahead = null;
                        original = decoding.get(cancel);
                        phases.end("decode", "waited for; " + decoding.note());
                    } else {
                        original = decoder.decode(input);
                        if (maxSize != null) {
                            original = Resize.fitLongSide(original, maxSize);
                        }
                        phases.end("decode");
                    }
                    RgbaImage stylized = stylizer.stylize(original, style,
                            progress != null ? progress : ProgressListener.NONE, cancel);
                    phases.endInference("inference", OnnxStylizer.ortNanosOfLastCall());
                    RgbaImage result = stylizer.finish(original, stylized, options);
                    phases.end("post-processing");
                    ImageExporter.write(result, output, quality / 100f, inputs, cancel);
                    phases.end("encode, write");
                    if (progress != null) {
                        progress.clear();
                    }
                    out.printf(Locale.ROOT, "%s -> %s (%dx%d, %.1f s)%n", input, output, result.width(),
                            result.height(), (System.nanoTime() - start) / 1e9);
                    out.flush();
                } catch (PasticheException e) {
                    failures++;
                    fail(err, progress, input, e.getMessage(), e);
                } catch (OutOfMemoryError e) {
                    failures++;
                    fail(err, progress, input, "not enough memory (try --max-size or a larger -Xmx)", e);
                } catch (StackOverflowError e) {
                    failures++;
                    fail(err, progress, input, "refused, its structure is nested too deeply to read", e);
                } catch (CancelledException e) {
                    if (progress != null) {
                        progress.clear();
                    }
                    err.println("pastiche: interrupted");
                    return PasticheCli.INTERRUPTED;
                }
            }
        } finally {
            WarmUp.awaitRuntime(); // no exit while ONNX Runtime is being loaded on the warm-up thread
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        phases.end("close");
        phases.print(err, "pastiche: where the time went");
        err.flush();
        return failures == 0 ? PasticheCli.OK : PasticheCli.FAILED;
    }

    private void fail(PrintWriter err, ProgressBar progress, Path input, String message, Throwable e) {
        if (progress != null) {
            progress.clear();
        }
        // Decoder messages start with the file already; others get it in front.
        String line = message != null && message.startsWith(input.toString()) ? message : input + ": " + message;
        err.println("pastiche: " + line);
        if (engine.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    private StrokeScale strokes() {
        try {
            return StrokeScale.parse(strokeScale);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage().replace("stroke scale", "stroke-scale"));
        }
    }

    private void validate() {
        strokes();
        painting.validate(spec.commandLine(), style);
        outputTag = style != null ? style : painting.outputTag();
        if (!(strength >= 0 && strength <= 1)) {
            throw new ParameterException(spec.commandLine(), "--strength must be between 0 and 1, was " + strength);
        }
        if (quality < 1 || quality > 100) {
            throw new ParameterException(spec.commandLine(), "--quality must be between 1 and 100");
        }
        OptionChecks checks = new OptionChecks(spec.commandLine());
        checks.range("--max-size", maxSize, 16, OptionChecks.MAX_SIDE);
        checks.range("--max-megapixels", maxMegapixels, OptionChecks.MIN_MEGAPIXELS, OptionChecks.MAX_MEGAPIXELS);
        engine.check();
        if (statsPasses != null && (statsPasses < 0 || statsPasses > 20)) {
            throw new ParameterException(spec.commandLine(), "--stats-passes must be between 0 and 20");
        }
        if (!(maxMegapixels > 0)) {
            throw new ParameterException(spec.commandLine(), "--max-megapixels must be positive");
        }
        if (target.output != null) {
            if (inputs.size() != 1) {
                throw new ParameterException(spec.commandLine(), "--output takes one input; use --output-dir for "
                        + inputs.size());
            }
            if (ImageExporter.Format.forPath(target.output).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--output must end in .png, .jpg or .jpeg: "
                        + target.output);
            }
        } else {
            String f = format.toLowerCase(Locale.ROOT);
            if (!List.of("png", "jpg", "jpeg").contains(f)) {
                throw new ParameterException(spec.commandLine(), "--format must be png or jpg");
            }
            try {
                Files.createDirectories(target.outputDir);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot create " + target.outputDir + ": "
                        + e.getMessage());
            }
        }
    }

    /** The file name of an input; "image" for a path that has none (such as "/"). */
    private static String nameOf(Path input) {
        return input.getFileName() == null ? "image" : input.getFileName().toString();
    }

    private Path outputFor(Path input) {
        if (target.output != null) {
            return target.output;
        }
        String name = nameOf(input);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT);
        return target.outputDir.resolve(stem + "-" + (outputTag != null ? outputTag : style) + "." + ext);
    }
}
