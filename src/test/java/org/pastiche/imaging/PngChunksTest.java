package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.imaging.ContainerScan.Result;

/** The PNG chunk walker on its own, over chunk lists built byte by byte (CRCs are not its business). */
class PngChunksTest {
    @TempDir
    Path dir;

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data).putInt(0);
        return b.array();
    }

    private static byte[] u32s(long... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (long x : v) {
            b.putInt((int) x);
        }
        return b.array();
    }

    private static byte[] iccp(byte[] compressed) {
        byte[] name = "p\0\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[name.length + compressed.length];
        System.arraycopy(name, 0, out, 0, name.length);
        System.arraycopy(compressed, 0, out, name.length, compressed.length);
        return out;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        byte[] out = new byte[n];
        System.arraycopy(buf, 0, out, 0, n);
        return out;
    }

    private Result scan(byte[]... chunks) throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.write(chunk("IHDR", new byte[13]));
        for (byte[] c : chunks) {
            png.write(c);
        }
        Path f = Files.write(dir.resolve("t.png"), png.toByteArray());
        try (RandomAccessFile in = new RandomAccessFile(f.toFile(), "r")) {
            return PngChunks.scan(f, in);
        }
    }

    @Test
    void gammaAndPrimariesAreRead() throws Exception {
        Result r = scan(chunk("gAMA", u32s(45455)),
                chunk("cHRM", u32s(31270, 32900, 64000, 33000, 21000, 71000, 15000, 6000)), chunk("IEND", new byte[0]));
        assertEquals(0.45455, r.gamma(), 1e-9);
        assertArrayEquals(new double[] {0.3127, 0.329, 0.64, 0.33, 0.21, 0.71, 0.15, 0.06}, r.chromaticities(), 1e-9);
        assertFalse(r.srgb());
        assertNull(r.icc());
        assertEquals(1, r.orientation());
    }

    @Test
    void malformedColourChunksAreIgnored() throws Exception {
        Result r = scan(chunk("gAMA", u32s(0)), chunk("cHRM", u32s(1, 2, 3)), chunk("IEND", new byte[0]));
        assertEquals(0, r.gamma());
        assertNull(r.chromaticities());
    }

    @Test
    void nothingAfterIendCounts() throws Exception {
        Result r = scan(chunk("IEND", new byte[0]), chunk("sRGB", new byte[1]), chunk("gAMA", u32s(100000)));
        assertFalse(r.srgb());
        assertEquals(0, r.gamma());
        assertEquals(true, scan(chunk("sRGB", new byte[1]), chunk("IEND", new byte[0])).srgb());
    }

    @Test
    void theFirstProfileWinsAndACorruptOneIsDropped() throws Exception {
        byte[] profile = "first profile bytes".getBytes(StandardCharsets.US_ASCII);
        Result r = scan(chunk("iCCP", iccp(deflate(profile))), chunk("iCCP", iccp(deflate(new byte[] {1, 2, 3}))),
                chunk("IEND", new byte[0]));
        assertArrayEquals(profile, r.icc());
        Result corrupt = scan(chunk("iCCP", iccp(new byte[] {1, 2, 3, 4, 5, 6})), chunk("IEND", new byte[0]));
        assertNull(corrupt.icc());
        byte[] truncated = deflate(profile);
        Result cut = scan(chunk("iCCP", iccp(Arrays.copyOf(truncated, truncated.length / 2))),
                chunk("IEND", new byte[0]));
        assertNull(cut.icc(), "a profile that does not inflate to its end is dropped");
    }

    @Test
    void aChunkRunningPastTheEndStopsTheScanWithWhatWasFound() throws Exception {
        byte[] lying = ByteBuffer.allocate(8).putInt(1 << 30).put("sRGB".getBytes(StandardCharsets.ISO_8859_1)).array();
        Result r = scan(chunk("gAMA", u32s(50000)), lying);
        assertEquals(0.5, r.gamma(), 1e-9);
        assertFalse(r.srgb());
    }
}
