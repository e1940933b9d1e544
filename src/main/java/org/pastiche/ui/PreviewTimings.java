package org.pastiche.ui;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.value.ObservableValue;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.preview.PreviewQuality;
import org.pastiche.ui.preview.ShownPainting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what a person waits for: launch to the first stylized preview, and a style click to the
 * first (quick) and the sharp preview. Logged when the system property {@code pastiche.timing} is true.
 * It observes the view model ({@link #observe}) rather than being called from its logic.
 */
public final class PreviewTimings {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewTimings.class);

    /** One style choice: milliseconds to the first and to the sharp preview (-1 if not seen). */
    public record Sample(String styleId, double firstMs, double sharpMs) { }

    private final boolean log;
    private final long launchMillis;
    private final List<Sample> samples = new ArrayList<>();
    private double launchToFirstMs = -1;
    private double launchToSharpMs = -1;
    private String pendingStyle;
    private long requestNanos;
    private double pendingFirstMs = -1;
    private long fullRequestNanos;
    private double fullMs = -1;

    public PreviewTimings(boolean log, long launchMillis) {
        this.log = log;
        this.launchMillis = launchMillis;
    }

    /** Timings from the JVM's start, logged if {@code -Dpastiche.timing=true}. */
    public static PreviewTimings fromSystem() {
        return new PreviewTimings(Boolean.getBoolean("pastiche.timing"),
                ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /**
     * Follows a view model's observable state: a request is a newly chosen style with a photo open, or
     * a new photo with a style chosen; a painting on show ends it; the full-resolution pass is timed
     * from its start ({@code fullPending} turning true) to the first full-resolution painting shown.
     */
    public void observe(ObservableValue<StyleModel> style, ObservableValue<PhotoSession> photo,
                        ObservableValue<ShownPainting> shown, ObservableValue<Boolean> fullPending) {
        style.addListener((obs, old, now) -> {
            if (now != null && photo.getValue() != null) {
                requested(now.id());
            }
        });
        photo.addListener((obs, old, now) -> {
            if (now != null && !now.isSamePhoto(old) && style.getValue() != null) {
                requested(style.getValue().id());
            }
        });
        fullPending.addListener((obs, old, now) -> {
            if (now) {
                fullRequested();
            }
        });
        shown.addListener((obs, old, now) -> {
            if (now == null) {
                return;
            }
            if (now.quality() == PreviewQuality.FULL) {
                if (old == null || old.quality() != PreviewQuality.FULL || !old.styleId().equals(now.styleId())) {
                    fullShown(now.styleId(), now.image().width(), now.image().height());
                }
            } else {
                shown(now.styleId(), now.quality() == PreviewQuality.SHARP);
            }
        });
    }

    public synchronized void requested(String styleId) {
        if (pendingStyle != null && pendingFirstMs < 0) {
            samples.add(new Sample(pendingStyle, -1, -1)); // superseded before anything showed
        }
        pendingStyle = styleId;
        requestNanos = System.nanoTime();
        pendingFirstMs = -1;
    }

    public synchronized void shown(String styleId, boolean sharp) {
        if (launchToFirstMs < 0) {
            launchToFirstMs = System.currentTimeMillis() - launchMillis;
            if (log) {
                LOG.info("timing: launch to first stylized preview {} ms", (long) launchToFirstMs);
            }
        }
        if (sharp && launchToSharpMs < 0) {
            launchToSharpMs = System.currentTimeMillis() - launchMillis;
            if (log) {
                LOG.info("timing: launch to first sharp preview {} ms", (long) launchToSharpMs);
            }
        }
        if (!styleId.equals(pendingStyle)) {
            return;
        }
        double ms = (System.nanoTime() - requestNanos) / 1e6;
        if (pendingFirstMs < 0) {
            pendingFirstMs = ms;
        }
        if (sharp) {
            samples.add(new Sample(styleId, pendingFirstMs, ms));
            if (log) {
                LOG.info("timing: style {} first preview {} ms, sharp preview {} ms",
                        styleId, Math.round(pendingFirstMs), Math.round(ms));
            }
            pendingStyle = null;
        }
    }

    /** A full-resolution painting (100 %) was asked for. */
    public synchronized void fullRequested() {
        fullRequestNanos = System.nanoTime();
    }

    /** The full-resolution painting is on show (counted once per request). */
    public synchronized void fullShown(String styleId, int width, int height) {
        if (fullRequestNanos == 0) {
            return;
        }
        fullMs = (System.nanoTime() - fullRequestNanos) / 1e6;
        fullRequestNanos = 0;
        if (log) {
            LOG.info("timing: style {} at full resolution ({} x {}) {} ms", styleId, width, height, Math.round(fullMs));
        }
    }

    /** Milliseconds from asking for the last full-resolution painting to showing it, or -1. */
    public synchronized double fullMs() {
        return fullMs;
    }

    public synchronized double launchToFirstMs() {
        return launchToFirstMs;
    }

    public synchronized double launchToSharpMs() {
        return launchToSharpMs;
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }
}
