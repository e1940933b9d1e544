package org.pastiche.imaging;

import java.nio.file.Path;

/** Test helper run in its own JVM: exports a large PNG over and over until it is
 * killed; with one argument, a small one once. */
public final class ExportForever {
    private ExportForever() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        if (args.length == 1) { // export once (the umask test)
            ImageExporter.write(SyntheticImage.photoLike(10, 10, 5), out);
            return;
        }
        RgbaImage img = SyntheticImage.photoLike(Integer.parseInt(args[1]), Integer.parseInt(args[2]), 5);
        System.out.println("ready");
        System.out.flush();
        while (true) {
            ImageExporter.write(img, out);
        }
    }
}
