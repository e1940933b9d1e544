package org.pastiche.imaging;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Builds the unusual and hostile files of issue 14 byte by byte: TIFFs with float or 16-bit
 * samples, DNG tags and deep SubIFD chains; JPEGs with deep EXIF nesting or 12-bit frames; PNGs
 * with iCCP, gAMA, cHRM, eXIf and text bombs. Nothing comes from ../shared/data.
 */
public final class HostileFixtures {
    private HostileFixtures() {}

    // ------------------------------------------------------------------ TIFF

    /** One IFD entry (little-endian TIFF); values of up to 4 bytes inline, else at {@code offset}. */
    private record Entry(int tag, int type, long count, long value) {}

    /**
     * An uncompressed little-endian TIFF, one strip. {@code samples}: 1 gray, 3 RGB; {@code bits}
     * 8, 16 or 32; {@code floats}: IEEE samples (SampleFormat 3). {@code data} is the strip as the
     * file stores it. {@code subIfdDepth} > 0 chains that many nested SubIFDs from IFD0;
     * {@code dng} adds a DNGVersion tag.
     */
    public static byte[] tiff(int w, int h, int samples, int bits, boolean floats, byte[] data, int subIfdDepth,
            boolean dng) {
        ByteBuffer b = ByteBuffer.allocate(64 + data.length + 400 + subIfdDepth * 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(0); // IFD0 offset patched below
        int bpsAt = b.position();
        for (int i = 0; i < samples; i++) {
            b.putShort((short) bits);
        }
        int sfAt = b.position();
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (floats ? 3 : 1));
        }
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
        int dataAt = b.position();
        b.put(data);
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
        // The nested SubIFDs: each a one-entry IFD pointing at the next (the last points nowhere).
        int firstSub = 0;
        if (subIfdDepth > 0) {
            firstSub = b.position();
            for (int d = 0; d < subIfdDepth; d++) {
                int here = b.position();
                int nextAt = here + 18;
                b.putShort((short) 1);
                b.putShort((short) 0x014A).putShort((short) 4).putInt(1).putInt(d + 1 < subIfdDepth ? nextAt : 0);
                b.putInt(0);
            }
        }
        List<Entry> e = new ArrayList<>();
        e.add(new Entry(256, 4, 1, w));
        e.add(new Entry(257, 4, 1, h));
        e.add(new Entry(258, 3, samples, samples == 1 ? bits : bpsAt));
        e.add(new Entry(259, 3, 1, 1));
        e.add(new Entry(262, 3, 1, samples == 1 ? 1 : 2));
        e.add(new Entry(273, 4, 1, dataAt));
        e.add(new Entry(277, 3, 1, samples));
        e.add(new Entry(278, 4, 1, h));
        e.add(new Entry(279, 4, 1, data.length));
        e.add(new Entry(284, 3, 1, 1));
        if (subIfdDepth > 0) {
            e.add(new Entry(0x014A, 4, 1, firstSub));
        }
        e.add(new Entry(339, 3, samples, samples == 1 ? (floats ? 3 : 1) : sfAt));
        if (dng) {
            e.add(new Entry(0xC612, 1, 4, 0x00000401)); // DNGVersion 1.4.0.0
        }
        int ifd0 = b.position();
        b.putShort((short) e.size());
        for (Entry x : e) {
            b.putShort((short) x.tag).putShort((short) x.type).putInt((int) x.count);
            if (x.type == 3 && x.count == 1) {
                b.putShort((short) x.value).putShort((short) 0);
            } else {
                b.putInt((int) x.value);
            }
        }
        b.putInt(0);
        b.putInt(4, ifd0);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    public static byte[] floatSamples(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    public static byte[] ushortSamples(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : v) {
            b.putShort((short) s);
        }
        return b.array();
    }

    // ------------------------------------------------------------------ EXIF and JPEG

    /**
     * An EXIF block (TIFF structure, big-endian) with the orientation in IFD0 and, if
     * {@code depth} > 0, a SubIFD pointer that starts a chain of {@code depth} nested SubIFDs.
     */
    public static byte[] exif(int orientation, int depth) {
        ByteBuffer b = ByteBuffer.allocate(64 + depth * 18).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        int entries = depth > 0 ? 2 : 1;
        b.putShort((short) entries);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        int first = 8 + 2 + 12 * entries + 4;
        if (depth > 0) {
            b.putShort((short) 0x014A).putShort((short) 4).putInt(1).putInt(first);
        }
        b.putInt(0);
        for (int d = 0; d < depth; d++) {
            int next = b.position() + 18;
            b.putShort((short) 1);
            b.putShort((short) 0x014A).putShort((short) 4).putInt(1).putInt(d + 1 < depth ? next : 0);
            b.putInt(0);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** {@code jpeg} with an APP1 EXIF segment inserted after SOI. */
    public static byte[] withExif(byte[] jpeg, byte[] exif) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int len = exif.length + 6 + 2;
        if (len > 0xFFFF) {
            throw new IllegalArgumentException("EXIF block too large for one segment");
        }
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The JPEG with the precision byte of its frame header (SOF0) set to 12, as a 12-bit JPEG has. */
    public static byte[] as12Bit(byte[] jpeg) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 4 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && ((out[i + 1] & 0xFF) == 0xC0 || (out[i + 1] & 0xFF) == 0xC1)) {
                out[i + 1] = (byte) 0xC1; // extended sequential, as 12-bit files are
                out[i + 4] = 12;
                return out;
            }
        }
        throw new IllegalArgumentException("no SOF0");
    }

    // ------------------------------------------------------------------ PNG

    /** A PNG chunk: length, type, data, CRC. */
    public static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
            d.writeInt(data.length);
            d.write(t);
            d.write(data);
            CRC32 crc = new CRC32();
            crc.update(t);
            crc.update(data);
            d.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** {@code png} with {@code chunks} inserted right after IHDR. */
    public static byte[] withChunks(byte[] png, byte[]... chunks) {
        int ihdrEnd = 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, ihdrEnd);
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        out.write(png, ihdrEnd, png.length - ihdrEnd);
        return out.toByteArray();
    }

    public static byte[] iccp(byte[] profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("icc\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(deflate(profile));
        return chunk("iCCP", out.toByteArray());
    }

    /** An iCCP chunk of a few bytes whose zlib stream inflates to {@code bytes} zeros. */
    public static byte[] iccpBomb(long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("icc\0\0".getBytes(StandardCharsets.ISO_8859_1));
        zeros(out, bytes);
        return chunk("iCCP", out.toByteArray());
    }

    /** A zTXt chunk whose text inflates to {@code bytes} zeros (about bytes / 1000 in the file). */
    public static byte[] ztxtBomb(long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
        zeros(out, bytes);
        return chunk("zTXt", out.toByteArray());
    }

    public static byte[] gama(double gamma) {
        return chunk("gAMA", ByteBuffer.allocate(4).putInt((int) Math.round(gamma * 100000)).array());
    }

    public static byte[] chrm(double... whiteRedGreenBlue) {
        ByteBuffer b = ByteBuffer.allocate(32);
        for (double v : whiteRedGreenBlue) {
            b.putInt((int) Math.round(v * 100000));
        }
        return chunk("cHRM", b.array());
    }

    public static byte[] exifChunk(byte[] exif) {
        return chunk("eXIf", exif);
    }

    private static void zeros(OutputStream out, long bytes) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16)) {
            byte[] block = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= block.length) {
                z.write(block, 0, (int) Math.min(block.length, left));
            }
        } finally {
            deflater.end();
        }
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[] data) throws IOException {
        Files.write(file, data);
        return file;
    }
}
