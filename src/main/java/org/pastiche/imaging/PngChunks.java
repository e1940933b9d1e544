package org.pastiche.imaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.pastiche.imaging.ContainerScan.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PNG's chunk list walked by seeking from header to header: the colour chunks (iCCP, sRGB, gAMA,
 * cHRM) and an eXIf block's orientation. Text and image data are never inflated; only an iCCP
 * profile is, and only up to {@link #MAX_ICC_BYTES}.
 */
final class PngChunks {
    private static final Logger LOG = LoggerFactory.getLogger(PngChunks.class);

    /** The largest compressed and inflated ICC profile taken from a PNG (real ones are under 1 MB). */
    static final int MAX_ICC_BYTES = 16 << 20;

    private PngChunks() {}

    /** Scans the chunks after the 8-byte signature. */
    static Result scan(Path file, RandomAccessFile in) throws IOException {
        long pos = 8;
        long size = in.length();
        int orientation = 1;
        byte[] icc = null;
        boolean srgb = false;
        double gamma = 0;
        double[] chrm = null;
        byte[] hdr = new byte[8];
        for (int blocks = 0; blocks < ContainerScan.MAX_BLOCKS && pos + 8 <= size; blocks++) {
            if (ContainerScan.readAt(in, pos, hdr, 8) < 8) {
                break;
            }
            long len = ((hdr[0] & 0xFFL) << 24) | ((hdr[1] & 0xFF) << 16) | ((hdr[2] & 0xFF) << 8) | (hdr[3] & 0xFF);
            String type = new String(hdr, 4, 4, StandardCharsets.ISO_8859_1);
            long data = pos + 8;
            if (len > Integer.MAX_VALUE || data + len > size) {
                break; // truncated or lying: the decoder will say so if it matters
            }
            switch (type) {
                case "IEND" -> {
                    return new Result(orientation, icc, srgb, gamma, chrm);
                }
                case "sRGB" -> srgb = true;
                case "gAMA" -> {
                    if (len == 4) {
                        long g = ContainerScan.readUInt(in, data);
                        gamma = g > 0 ? g / 100000.0 : 0;
                    }
                }
                case "cHRM" -> {
                    if (len == 32) {
                        chrm = new double[8];
                        for (int i = 0; i < 8; i++) {
                            chrm[i] = ContainerScan.readUInt(in, data + 4L * i) / 100000.0;
                        }
                    }
                }
                case "iCCP" -> {
                    if (icc == null) {
                        icc = iccp(file, in, data, (int) len);
                    }
                }
                case "eXIf" -> {
                    if (orientation == 1 && len <= ContainerScan.MAX_EXIF_BYTES && len > 8) {
                        byte[] exif = new byte[(int) len];
                        ContainerScan.readAt(in, data, exif, exif.length);
                        orientation = TiffStructure.exifOrientation(file, exif, 0, exif.length);
                    }
                }
                default -> {
                    // skipped: text chunks are never inflated
                }
            }
            pos = data + len + 4;
        }
        return new Result(orientation, icc, srgb, gamma, chrm);
    }

    /** The inflated profile, or null when it is absent, broken or over {@link #MAX_ICC_BYTES}. */
    private static byte[] iccp(Path file, RandomAccessFile in, long data, int len) throws IOException {
        if (len > MAX_ICC_BYTES + 82) {
            LOG.warn("{}: ignoring an embedded colour profile of {} bytes (over the limit)", file, len);
            return null;
        }
        byte[] chunk = new byte[len];
        ContainerScan.readAt(in, data, chunk, len);
        int nul = 0;
        while (nul < Math.min(len, 80) && chunk[nul] != 0) {
            nul++;
        }
        if (nul + 2 >= len || chunk[nul] != 0 || chunk[nul + 1] != 0) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk, nul + 2, len - nul - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(len * 4, 1 << 20));
            byte[] buf = new byte[64 << 10];
            while (!inflater.finished()) {
                int k = inflater.inflate(buf);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                if (out.size() + k > MAX_ICC_BYTES) {
                    LOG.warn("{}: ignoring an embedded colour profile that inflates past {} MB", file, MAX_ICC_BYTES >> 20);
                    return null;
                }
                out.write(buf, 0, k);
            }
            return inflater.finished() ? out.toByteArray() : null;
        } catch (DataFormatException e) {
            LOG.warn("{}: ignoring a corrupt embedded colour profile", file);
            return null;
        } finally {
            inflater.end();
        }
    }
}
