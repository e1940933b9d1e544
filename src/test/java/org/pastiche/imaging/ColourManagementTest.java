package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

/** Issue 14: PNG colour chunks are applied on decode, and exports are tagged sRGB. */
class ColourManagementTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    private static int[] reference(ICC_Profile profile, int r, int g, int b) {
        float[] rgb = new ICC_ColorSpace(profile).toRGB(new float[] {r / 255f, g / 255f, b / 255f});
        return new int[] {Math.round(rgb[0] * 255), Math.round(rgb[1] * 255), Math.round(rgb[2] * 255)};
    }

    @Test
    void iccpProfileIsApplied() throws Exception {
        // A linear-light profile (the JDK's own): stored 100 shows as about 170 in sRGB.
        ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
        byte[] png = HostileFilesTest.png(HostileFilesTest.rgb(8, 4, 0x643214));
        Path f = HostileFixtures.write(dir.resolve("linear.png"),
                HostileFixtures.withChunks(png, HostileFixtures.iccp(linear.getData())));
        int p = decoder.decode(f).get(2, 2);
        int[] want = reference(linear, 100, 50, 20);
        HostileFilesTest.assertPixel(p, want[0], want[1], want[2]);
        assertTrue(((p >> 16) & 0xFF) > 150, Integer.toHexString(p));
        // The preview path gives the same colours.
        assertEquals(p, decoder.decodePreview(f, 4).get(1, 1));
    }

    @Test
    void gamaAloneIsApplied() throws Exception {
        // gAMA 1.0: linear samples, as in the profile above: the two must agree.
        byte[] png = HostileFilesTest.png(HostileFilesTest.rgb(8, 4, 0x643214));
        Path f = HostileFixtures.write(dir.resolve("gamma1.png"), HostileFixtures.withChunks(png, HostileFixtures.gama(1.0)));
        int p = decoder.decode(f).get(2, 2);
        HostileFilesTest.assertPixel(p, srgb(100 / 255.0), srgb(50 / 255.0), srgb(20 / 255.0));
    }

    @Test
    void srgbGammaAndSrgbChunkChangeNothing() throws Exception {
        byte[] png = HostileFilesTest.png(HostileFilesTest.rgb(8, 4, 0x643214));
        Path a = HostileFixtures.write(dir.resolve("g45.png"), HostileFixtures.withChunks(png, HostileFixtures.gama(0.45455)));
        assertEquals(0xFF643214, decoder.decode(a).get(2, 2));
        Path b = HostileFixtures.write(dir.resolve("srgb.png"), HostileFixtures.withChunks(png,
                HostileFixtures.chunk("sRGB", new byte[] {0}), HostileFixtures.gama(1.0)));
        assertEquals(0xFF643214, decoder.decode(b).get(2, 2), "sRGB wins over gAMA");
    }

    @Test
    void chrmPrimariesAreApplied() throws Exception {
        // Adobe RGB (1998) primaries with its 2.2 curve: its green is more saturated than sRGB's, so
        // in sRGB the red of this green goes to (nearly) 0.
        double[] adobe = {0.3127, 0.3290, 0.64, 0.33, 0.21, 0.71, 0.15, 0.06};
        byte[] png = HostileFilesTest.png(HostileFilesTest.rgb(8, 4, 0x40C040));
        Path f = HostileFixtures.write(dir.resolve("adobe.png"), HostileFixtures.withChunks(png,
                HostileFixtures.gama(1 / 2.2), HostileFixtures.chrm(adobe)));
        int p = decoder.decode(f).get(2, 2);
        // Reference: the textbook conversion (Adobe RGB -> XYZ -> sRGB, same D65 white).
        double[][] adobeToXyz = {{0.5767, 0.1856, 0.1882}, {0.2973, 0.6274, 0.0753}, {0.0270, 0.0707, 0.9911}};
        double[][] xyzToSrgb = {{3.2406, -1.5372, -0.4986}, {-0.9689, 1.8758, 0.0415}, {0.0557, -0.2040, 1.0570}};
        double[] lin = {Math.pow(0x40 / 255.0, 2.2), Math.pow(0xC0 / 255.0, 2.2), Math.pow(0x40 / 255.0, 2.2)};
        double[] xyz = mul(adobeToXyz, lin);
        double[] s = mul(xyzToSrgb, xyz);
        HostileFilesTest.assertPixel(p, srgb(s[0]), srgb(s[1]), srgb(s[2]));
        assertTrue(((p >> 16) & 0xFF) < 0x40 - 30, "less red than the stored value: " + Integer.toHexString(p));
    }

    private static double[] mul(double[][] m, double[] v) {
        return new double[] {m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2], m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]};
    }

    private static int srgb(double linear) {
        double v = Math.max(0, Math.min(1, linear));
        return (int) Math.round(255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055));
    }

    // ------------------------------------------------------------ export

    private static IIOMetadataNode nativeTree(File f) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(f)) {
            ImageReader r = ImageIO.getImageReaders(in).next();
            r.setInput(in);
            IIOMetadata m = r.getImageMetadata(0);
            IIOMetadataNode root = (IIOMetadataNode) m.getAsTree(m.getNativeMetadataFormatName());
            r.dispose();
            return root;
        }
    }

    private static Node find(Node n, String name) {
        if (n.getNodeName().equals(name)) {
            return n;
        }
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node hit = find(c, name);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    @Test
    void pngExportIsTaggedSrgb() throws Exception {
        Path out = dir.resolve("out.png");
        RgbaImage img = SyntheticImage.photoLike(20, 10, 1);
        ImageExporter.write(img, out);
        assertNotNull(find(nativeTree(out.toFile()), "sRGB"), "an sRGB chunk");
        assertEquals(img.get(3, 3), decoder.decode(out).get(3, 3), "and the pixels are as they were");
    }

    @Test
    void jpegExportCarriesAnSrgbProfile() throws Exception {
        Path out = dir.resolve("out.jpg");
        ImageExporter.write(SyntheticImage.photoLike(20, 10, 1), out);
        Node icc = find(nativeTree(out.toFile()), "app2ICC");
        assertNotNull(icc, "an ICC profile in APP2");
        ICC_Profile p = (ICC_Profile) ((IIOMetadataNode) icc).getUserObject();
        assertEquals(ColorSpace.TYPE_RGB, p.getColorSpaceType());
        BufferedImage back = ImageIO.read(out.toFile());
        assertNotNull(back);
    }
}
