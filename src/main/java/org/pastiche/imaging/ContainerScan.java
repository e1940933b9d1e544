package org.pastiche.imaging;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, in bounded memory and time, what the pixel decoders do not: the EXIF orientation, a PNG's
 * colour chunks (iCCP, sRGB, gAMA, cHRM), and what makes a file unsupported or hostile (camera
 * raw, 12-bit or lossless JPEG, TIFF metadata nested too deeply). Only the few bytes each needs
 * are read: segments and chunks are skipped by seeking, never inflated or parsed beyond caps, so a
 * header that claims gigabytes costs nothing. Nothing here recurses. This class tells the containers
 * apart and walks JPEG segments and WebP chunks; {@link PngChunks} reads a PNG's chunks and
 * {@link TiffStructure} every TIFF structure (TIFF files and EXIF blocks).
 */
final class ContainerScan {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerScan.class);

    /** The largest EXIF block read (a JPEG APP1 segment is at most 64 KiB; PNG and WebP alike). */
    static final int MAX_EXIF_BYTES = 1 << 20;
    /** Chunks or segments scanned before giving up on finding more metadata. */
    static final int MAX_BLOCKS = 1 << 20;

    /** What was found; {@code icc} and the PNG colour fields are set for PNG only. */
    record Result(int orientation, byte[] icc, boolean srgb, double gamma, double[] chromaticities) {
        static final Result PLAIN = new Result(1, null, false, 0, null);

        Result withOrientation(int o) {
            return new Result(o, icc, srgb, gamma, chromaticities);
        }
    }

    private ContainerScan() {}

    /** File name extensions of camera raw formats (most are TIFF inside and would decode a preview). */
    private static final Set<String> RAW_EXTENSIONS = Set.of("dng", "cr2", "cr3", "crw", "nef", "nrw", "arw",
            "srf", "sr2", "orf", "rw2", "raf", "pef", "srw", "x3f", "3fr", "erf", "kdc", "mrw", "mos", "iiq",
            "rwl", "raw");

    static Result scan(Path file) throws PasticheException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && RAW_EXTENSIONS.contains(name.substring(dot + 1))) {
            throw cameraRaw(file, name.substring(dot + 1).toUpperCase(Locale.ROOT));
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] head = new byte[16];
            int n = readAt(in, 0, head, 16);
            if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
                return jpeg(file, in);
            }
            if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
                return PngChunks.scan(file, in);
            }
            if (n >= 8 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
                    || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42))) {
                return tiffFile(file, in, head);
            }
            if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'W'
                    && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
                return webp(file, in);
            }
            return Result.PLAIN;
        } catch (PasticheException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Metadata is a nicety: the pixel decoder says whether the file itself is readable.
            LOG.debug("{}: metadata not readable ({})", file, e.toString());
            return Result.PLAIN;
        }
    }

    // ---------------------------------------------------------------- JPEG

    private static Result jpeg(Path file, RandomAccessFile in) throws IOException, PasticheException {
        long pos = 2;
        long size = in.length();
        int orientation = 1;
        byte[] marker = new byte[4];
        for (int blocks = 0; blocks < MAX_BLOCKS && pos + 4 <= size; blocks++) {
            if (readAt(in, pos, marker, 4) < 4) {
                break;
            }
            if ((marker[0] & 0xFF) != 0xFF) {
                break; // not a marker: let the decoder judge
            }
            int m = marker[1] & 0xFF;
            if (m == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                pos += 2;
                continue;
            }
            if (m == 0xD9 || m == 0xDA) {
                break; // end of image, start of scan: no more header
            }
            int len = ((marker[2] & 0xFF) << 8) | (marker[3] & 0xFF);
            if (len < 2) {
                break;
            }
            if (isSof(m)) {
                byte[] sof = new byte[1];
                if (readAt(in, pos + 4, sof, 1) == 1) {
                    int precision = sof[0] & 0xFF;
                    if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF) {
                        throw variant(file, "lossless JPEG");
                    }
                    if (precision != 8) {
                        throw variant(file, precision + "-bit JPEG");
                    }
                    if (m >= 0xC9) {
                        throw variant(file, "arithmetic-coded JPEG");
                    }
                }
            } else if (m == 0xE1 && orientation == 1 && len > 8) {
                byte[] seg = new byte[len - 2];
                readAt(in, pos + 4, seg, seg.length);
                if (seg.length > 6 && seg[0] == 'E' && seg[1] == 'x' && seg[2] == 'i' && seg[3] == 'f' && seg[4] == 0) {
                    orientation = TiffStructure.exifOrientation(file, seg, 6, seg.length - 6);
                }
            }
            pos += 2 + len;
        }
        return Result.PLAIN.withOrientation(orientation);
    }

    private static boolean isSof(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    // ---------------------------------------------------------------- WebP

    private static Result webp(Path file, RandomAccessFile in) throws IOException, PasticheException {
        long pos = 12;
        long size = in.length();
        byte[] hdr = new byte[8];
        for (int blocks = 0; blocks < MAX_BLOCKS && pos + 8 <= size; blocks++) {
            readAt(in, pos, hdr, 8);
            String type = new String(hdr, 0, 4, StandardCharsets.ISO_8859_1);
            long len = (hdr[4] & 0xFFL) | ((hdr[5] & 0xFF) << 8) | ((hdr[6] & 0xFF) << 16) | ((hdr[7] & 0xFFL) << 24);
            if (type.equals("EXIF") && len <= MAX_EXIF_BYTES && len > 8) {
                byte[] exif = new byte[(int) len];
                readAt(in, pos + 8, exif, exif.length);
                int off = exif.length > 6 && exif[0] == 'E' && exif[1] == 'x' && exif[2] == 'i' && exif[3] == 'f' ? 6 : 0;
                return Result.PLAIN.withOrientation(TiffStructure.exifOrientation(file, exif, off, exif.length - off));
            }
            pos += 8 + len + (len & 1);
        }
        return Result.PLAIN;
    }

    // ---------------------------------------------------------------- TIFF files

    private static Result tiffFile(Path file, RandomAccessFile in, byte[] head) throws IOException, PasticheException {
        TiffStructure t = TiffStructure.open((pos, buf, len) -> readAt(in, pos, buf, len));
        if (t == null) {
            return Result.PLAIN;
        }
        if (head[8] == 'C' && head[9] == 'R') {
            throw cameraRaw(file, "CR2");
        }
        if (t.ifd0HasTag(TiffStructure.TAG_DNG_VERSION)) {
            throw cameraRaw(file, "DNG");
        }
        t.checkStructure(file);
        return Result.PLAIN.withOrientation(t.orientation());
    }

    // ---------------------------------------------------------------- helpers

    static int readAt(RandomAccessFile in, long pos, byte[] buf, int len) throws IOException {
        if (pos < 0 || pos >= in.length()) {
            return 0;
        }
        in.seek(pos);
        int total = 0;
        while (total < len) {
            int k = in.read(buf, total, len - total);
            if (k < 0) {
                break;
            }
            total += k;
        }
        return total;
    }

    static long readUInt(RandomAccessFile in, long pos) throws IOException {
        byte[] b = new byte[4];
        if (readAt(in, pos, b, 4) < 4) {
            return 0;
        }
        return (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
    }

    static PasticheException cameraRaw(Path file, String kind) {
        return new PasticheException(Reason.CAMERA_RAW, file + ": camera raw files (" + kind
                + ") are not supported; convert it to TIFF or JPEG with a raw converter first", kind);
    }

    static PasticheException variant(Path file, String what) {
        return new PasticheException(Reason.UNSUPPORTED_VARIANT, file + ": " + what + " is not supported", what);
    }

    static PasticheException hostile(Path file, String why) {
        return new PasticheException(Reason.MALFORMED_METADATA, file + ": refused, " + why, why);
    }
}
