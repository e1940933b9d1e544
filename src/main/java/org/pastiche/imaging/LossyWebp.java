package org.pastiche.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.IIOException;
import javax.imageio.ImageReader;
import org.pastiche.imaging.webp.Vp8Decoder;
import org.pastiche.imaging.webp.WebpYuv;

/**
 * Still lossy (VP8) WebP files, decoded as libwebp decodes them: {@link Vp8Decoder} reconstructs
 * the Y, U and V planes and {@link WebpYuv} converts them with libwebp's fancy upsampling and
 * fixed-point BT.601 constants. TwelveMonkeys' VP8 path (still used for lossless, animated and
 * alpha data) differed from libwebp by several levels on average and up to 45 at colour edges: it
 * loop-filters each macroblock before its neighbours are predicted from it, repeats chroma by
 * nearest neighbour and converts with full-range JPEG constants (a green cast).
 * An embedded ICC profile is applied afterwards, as TwelveMonkeys did.
 */
final class LossyWebp {
    /** The largest ICCP chunk read (profiles are a few KB; big ones a few MB at most). */
    static final int MAX_ICC_BYTES = 16 << 20;
    private static final int MAX_CHUNKS = 1 << 16;

    private LossyWebp() {}

    /**
     * Where a still lossy WebP's VP8 bitstream is, with its ICC profile and whether an ALPH chunk
     * comes with it; {@code null} for lossless, animated or unrecognised files (left to TwelveMonkeys).
     */
    record Layout(long vp8Offset, int vp8Length, byte[] icc, boolean alpha) {}

    static Layout layout(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] head = new byte[12];
            if (ContainerScan.readAt(in, 0, head, 12) < 12 || !"RIFF".equals(ascii(head, 0))
                    || !"WEBP".equals(ascii(head, 8))) {
                return null;
            }
            long size = in.length();
            long pos = 12;
            byte[] icc = null;
            boolean alpha = false;
            byte[] hdr = new byte[8];
            for (int n = 0; n < MAX_CHUNKS && pos + 8 <= size; n++) {
                ContainerScan.readAt(in, pos, hdr, 8);
                String type = ascii(hdr, 0);
                long len = (hdr[4] & 0xFFL) | (hdr[5] & 0xFFL) << 8 | (hdr[6] & 0xFFL) << 16 | (hdr[7] & 0xFFL) << 24;
                switch (type) {
                    case "VP8 " -> {
                        if (pos + 8 + len > size || len > Integer.MAX_VALUE - 16) {
                            throw new IIOException("the file is truncated (its VP8 data needs " + len
                                    + " bytes, " + Math.max(0, size - pos - 8) + " are there)");
                        }
                        return new Layout(pos + 8, (int) len, icc, alpha);
                    }
                    case "VP8L", "ANIM", "ANMF" -> {
                        return null;
                    }
                    case "ICCP" -> {
                        if (len <= MAX_ICC_BYTES && pos + 8 + len <= size) {
                            icc = new byte[(int) len];
                            ContainerScan.readAt(in, pos + 8, icc, icc.length);
                        }
                    }
                    case "ALPH" -> alpha = true;
                    default -> {
                        // VP8X, EXIF, XMP and unknown chunks carry nothing needed here.
                    }
                }
                pos += 8 + len + (len & 1);
            }
            return null;
        }
    }

    private static String ascii(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes {@code file} if it is a still lossy WebP, else returns {@code null}. The caller has
     * checked the size from the header against the pixel limit; {@code reader} (TwelveMonkeys',
     * positioned on the file) is used only for an alpha plane.
     */
    static RgbaImage decode(Path file, ImageReader reader, int expectedWidth, int expectedHeight) throws IOException {
        Layout layout = layout(file);
        if (layout == null) {
            return null;
        }
        byte[] vp8 = new byte[layout.vp8Length()];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (ContainerScan.readAt(in, layout.vp8Offset(), vp8, vp8.length) < vp8.length) {
                throw new IIOException("the VP8 data is truncated");
            }
        }
        byte[] head = java.util.Arrays.copyOf(vp8, 10);
        int[] size = Vp8Decoder.size(head);
        if (size[0] != expectedWidth || size[1] != expectedHeight) {
            throw new IIOException("the VP8 frame is " + size[0] + "x" + size[1] + " but the file says "
                    + expectedWidth + "x" + expectedHeight);
        }
        Vp8Decoder.Frame frame = Vp8Decoder.decode(vp8, 0, vp8.length);
        vp8 = null;
        int w = frame.width();
        int h = frame.height();
        RgbaImage image = new RgbaImage(w, h, WebpYuv.toArgb(frame.y(), frame.u(), frame.v(), w, h));
        frame = null;
        if (layout.icc() != null) {
            PngColour.toSrgb(file, image, new ContainerScan.Result(1, layout.icc(), false, 0, null), false);
        }
        if (layout.alpha()) {
            // The alpha plane is lossless (VP8L) data: TwelveMonkeys decodes it exactly.
            BufferedImage withAlpha = reader.read(0, reader.getDefaultReadParam());
            int[] argb = image.argb();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                withAlpha.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    argb[y * w + x] = (argb[y * w + x] & 0x00FFFFFF) | (row[x] & 0xFF000000);
                }
            }
            withAlpha.flush();
        }
        return image;
    }
}
