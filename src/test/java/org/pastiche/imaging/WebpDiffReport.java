package org.pastiche.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Prints, for every NAME.webp with a NAME.ref.png (libwebp's decode) in the given folders, how far
 * the old decoding (TwelveMonkeys) and the new one ({@link ImageDecoder}) are from libwebp, and
 * the averages. Make the files with {@code src/test/resources/imaging/make_webp_fixtures.py};
 * the command is in docs/engine.md, "Lossy WebP".
 */
public final class WebpDiffReport {
    private WebpDiffReport() {}

    public static void main(String[] args) throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<WebpDiff> old = new ArrayList<>();
        List<WebpDiff> now = new ArrayList<>();
        for (String folder : args) {
            List<Path> files;
            try (Stream<Path> s = Files.list(Path.of(folder))) {
                files = s.filter(p -> p.toString().endsWith(".webp")).sorted().toList();
            }
            for (Path webp : files) {
                Path ref = webp.resolveSibling(webp.getFileName().toString().replace(".webp", ".ref.png"));
                if (!Files.exists(ref)) {
                    continue;
                }
                RgbaImage want = Orientation.apply(WebpDiff.png(ref), ImageDecoder.orientation(webp));
                WebpDiff before = WebpDiff.of(WebpDiff.twelveMonkeys(webp), want);
                WebpDiff after = WebpDiff.of(decoder.decode(webp), want);
                old.add(before);
                now.add(after);
                System.out.println(webp.getFileName());
                System.out.println("  old " + before);
                System.out.println("  new " + after);
            }
        }
        System.out.println(summary("old", old));
        System.out.println(summary("new", now));
    }

    private static String summary(String name, List<WebpDiff> diffs) {
        double[] mean = new double[3];
        int[] max = new int[3];
        double green = 0;
        for (WebpDiff d : diffs) {
            for (int c = 0; c < 3; c++) {
                mean[c] += d.mean()[c] / diffs.size();
                max[c] = Math.max(max[c], d.max()[c]);
            }
            green += d.signedGreen() / diffs.size();
        }
        return String.format(Locale.ROOT, "%s, %d files: mean R %.3f G %.3f B %.3f  max %d %d %d  green cast %+.3f",
                name, diffs.size(), mean[0], mean[1], mean[2], max[0], max[1], max[2], green);
    }
}
