package org.pastiche.imaging.webp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A VP8 key frame's header (RFC 6386 section 9, libwebp's {@code VP8GetHeaders}): segments, loop
 * filter, token partitions, quantizers and token probabilities. The tables of the standard are read
 * from {@code vp8-tables.txt}.
 */
final class Vp8Header {
    static final int[] COEF_PROBS;
    static final int[] COEF_UPDATE_PROBS;
    static final int[] BMODE_PROBS;
    static final int[] DC_Q;
    static final int[] AC_Q;

    static {
        Map<String, int[]> t = tables();
        COEF_PROBS = t.get("coef_probs");
        COEF_UPDATE_PROBS = t.get("coef_update_probs");
        BMODE_PROBS = t.get("bmode_probs");
        DC_Q = t.get("dc_q");
        AC_Q = t.get("ac_q");
    }

    boolean useSegment;
    boolean updateMap;
    boolean absoluteDelta = true;
    final int[] segQuant = new int[4];
    final int[] segFilter = new int[4];
    final int[] segProbs = {255, 255, 255};
    boolean simpleFilter;
    int filterLevel;
    int sharpness;
    boolean useLfDelta;
    final int[] refLfDelta = new int[4];
    final int[] modeLfDelta = new int[4];
    /** Per segment: y1 dc, y1 ac, y2 dc, y2 ac, uv dc, uv ac. */
    final int[][] dq = new int[4][6];
    final int[] probs = new int[4 * 8 * 3 * 11];
    boolean useSkipProb;
    int skipProb;
    final Vp8BoolDecoder[] partitions;

    private final byte[] data;
    private final int end;

    /** Parses the header from {@code br} (the first partition); the token partitions follow at {@code start}. */
    Vp8Header(Vp8BoolDecoder br, byte[] data, int start, int end) throws IOException {
        this.data = data;
        this.end = end;
        br.bit(); // colour space
        br.bit(); // clamping type (libwebp ignores it too)
        parseSegmentHeader(br);
        parseFilterHeader(br);
        partitions = parsePartitions(br, start);
        parseQuant(br);
        br.bit(); // refresh entropy probabilities: meaningless for a single key frame
        for (int i = 0; i < probs.length; i++) {
            probs[i] = br.read(COEF_UPDATE_PROBS[i]) != 0 ? br.literal(8) : COEF_PROBS[i];
        }
        useSkipProb = br.bit() != 0;
        if (useSkipProb) {
            skipProb = br.literal(8);
        }
    }

    private void parseSegmentHeader(Vp8BoolDecoder br) {
        useSegment = br.bit() != 0;
        if (useSegment) {
            updateMap = br.bit() != 0;
            if (br.bit() != 0) {
                absoluteDelta = br.bit() != 0;
                for (int s = 0; s < 4; s++) {
                    segQuant[s] = br.bit() != 0 ? br.signed(7) : 0;
                }
                for (int s = 0; s < 4; s++) {
                    segFilter[s] = br.bit() != 0 ? br.signed(6) : 0;
                }
            }
            if (updateMap) {
                for (int s = 0; s < 3; s++) {
                    segProbs[s] = br.bit() != 0 ? br.literal(8) : 255;
                }
            }
        }
    }

    private void parseFilterHeader(Vp8BoolDecoder br) {
        simpleFilter = br.bit() != 0;
        filterLevel = br.literal(6);
        sharpness = br.literal(3);
        useLfDelta = br.bit() != 0;
        if (useLfDelta && br.bit() != 0) {
            for (int i = 0; i < 4; i++) {
                if (br.bit() != 0) {
                    refLfDelta[i] = br.signed(6);
                }
            }
            for (int i = 0; i < 4; i++) {
                if (br.bit() != 0) {
                    modeLfDelta[i] = br.signed(6);
                }
            }
        }
    }

    private Vp8BoolDecoder[] parsePartitions(Vp8BoolDecoder br, int start) throws IOException {
        int n = 1 << br.literal(2);
        int sizes = start;
        int part = start + 3 * (n - 1);
        if (part > end) {
            throw new IOException("the VP8 data is truncated");
        }
        Vp8BoolDecoder[] parts = new Vp8BoolDecoder[n];
        for (int p = 0; p < n - 1; p++) {
            int size = (data[sizes] & 0xFF) | (data[sizes + 1] & 0xFF) << 8 | (data[sizes + 2] & 0xFF) << 16;
            int stop = Math.min(end, part + size);
            parts[p] = new Vp8BoolDecoder(data, part, stop);
            part = stop;
            sizes += 3;
        }
        parts[n - 1] = new Vp8BoolDecoder(data, part, end);
        return parts;
    }

    private void parseQuant(Vp8BoolDecoder br) {
        int base = br.literal(7);
        int y1dc = br.bit() != 0 ? br.signed(4) : 0;
        int y2dc = br.bit() != 0 ? br.signed(4) : 0;
        int y2ac = br.bit() != 0 ? br.signed(4) : 0;
        int uvdc = br.bit() != 0 ? br.signed(4) : 0;
        int uvac = br.bit() != 0 ? br.signed(4) : 0;
        for (int s = 0; s < 4; s++) {
            int q = useSegment ? segQuant[s] + (absoluteDelta ? 0 : base) : base;
            int[] m = dq[s];
            m[0] = DC_Q[clip(q + y1dc, 127)];
            m[1] = AC_Q[clip(q, 127)];
            m[2] = DC_Q[clip(q + y2dc, 127)] * 2;
            m[3] = Math.max(8, (AC_Q[clip(q + y2ac, 127)] * 101581) >> 16);
            m[4] = DC_Q[clip(q + uvdc, 117)];
            m[5] = AC_Q[clip(q + uvac, 127)];
        }
    }

    private static int clip(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    private static Map<String, int[]> tables() {
        Map<String, int[]> out = new HashMap<>();
        try (InputStream in = Vp8Header.class.getResourceAsStream("vp8-tables.txt")) {
            if (in == null) {
                throw new IllegalStateException("vp8-tables.txt is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String[] parts = line.substring(sp + 1).split(",");
                int[] values = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    values[i] = Integer.parseInt(parts[i].trim());
                }
                out.put(line.substring(0, sp), values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** RFC 6386's boolean entropy decoder; reads zeros past the end as libwebp does. */
}
