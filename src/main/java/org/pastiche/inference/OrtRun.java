package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One network run on ONNX Runtime: the environment, tensors over direct buffers, cancellation
 * through the run's terminate flag, the failure reasons, and the time spent inside ONNX Runtime.
 */
final class OrtRun {
    private static final Logger LOG = LoggerFactory.getLogger(OrtRun.class);
    /** Nanoseconds this thread has spent inside ONNX Runtime since the last {@link #resetNanos}. */
    private static final ThreadLocal<long[]> ORT_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private OrtRun() {}

    /** The one ONNX Runtime environment of this JVM; never closed (native state lives as long as the process). */
    static OrtEnvironment environment() {
        return Env.get();
    }

    /**
     * Created on first use by whichever thread comes first (a command line starts it on a spare core
     * while it reads the catalog); a failure is kept and thrown again, as it was, to every caller.
     */
    private static final class Env {
        private static OrtEnvironment instance;
        private static Throwable failure;

        static synchronized OrtEnvironment get() {
            if (instance == null && failure == null) {
                try {
                    NativeLibraries.useCache(); // before ONNX Runtime loads its libraries
                    instance = QuietOrtEnvironment.create(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "pastiche");
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return instance;
        }
    }

    static void resetNanos() {
        ORT_NANOS.get()[0] = 0;
    }

    static long nanos() {
        return ORT_NANOS.get()[0];
    }

    /** A [1,3,h,w] tensor over the first 3wh floats of {@code data} (no copy). */
    static OnnxTensor image(FloatBuffer data, int w, int h) throws OrtException {
        return OnnxTensor.createTensor(environment(), data.clear().limit(3 * w * h), new long[] {1, 3, h, w});
    }

    /** A [n] tensor of {@code values}. */
    static OnnxTensor vector(float[] values) throws OrtException {
        return OnnxTensor.createTensor(environment(), FloatBuffer.wrap(values), new long[] {values.length});
    }

    /**
     * One network run on [1,3,h,w] data, writing {@code output} straight into {@code out} (a
     * pinned output over the reused direct buffer: no copies). Cancellation sets the run's
     * terminate flag, which ONNX Runtime checks between operators.
     */
    static void runInto(OrtSession session, FloatBuffer in, FloatBuffer out, int w, int h, OnnxTensor stats,
            CancellationToken cancel) throws PasticheException {
        runInto(session, in, out, w, h, stats, Map.of(), cancel);
    }

    /** As above, with {@code constants}: more inputs of the run (a painting's style code). */
    static void runInto(OrtSession session, FloatBuffer in, FloatBuffer out, int w, int h, OnnxTensor stats,
            Map<String, OnnxTensor> constants, CancellationToken cancel) throws PasticheException {
        try (OnnxTensor input = image(in, w, h);
                OnnxTensor output = image(out, w, h);
                OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            Runnable stop = terminateOnCancel(options, cancel);
            try {
                Map<String, OnnxTensor> inputs = new HashMap<>(constants);
                inputs.put(ModelContract.INPUT, input);
                if (stats != null) {
                    inputs.put(ModelContract.STATS, stats);
                }
                Map<String, OnnxValue> pinned = Map.of(ModelContract.OUTPUT, output);
                long t0 = System.nanoTime();
                session.run(inputs, Set.of(), pinned, options).close();
                ORT_NANOS.get()[0] += System.nanoTime() - t0;
            } finally {
                cancel.removeOnCancel(stop);
            }
        } catch (OrtException e) {
            if (cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "the style network failed on a " + w + "x" + h + " image: " + ModelOpener.firstLine(e.getMessage()), e);
        }
        in.clear();
        out.clear();
        checkFinite(out, 3 * w * h, "picture");
    }

    /**
     * A network whose output holds NaN or infinity would be clamped to a black or white picture
     * and pass as a result: it fails instead, with the reason.
     */
    static void checkFinite(FloatBuffer values, int n, String what) throws PasticheException {
        // in chunks: a direct buffer's get(i) per value costs twice as much under C1 (the launcher's)
        float[] chunk = new float[Math.min(n, 8192)];
        for (int i = 0; i < n; i += chunk.length) {
            int k = Math.min(chunk.length, n - i);
            values.get(i, chunk, 0, k);
            for (int j = 0; j < k; j++) {
                if (!Float.isFinite(chunk[j])) {
                    throw nonFinite(what, chunk[j]);
                }
            }
        }
    }

    static void checkFinite(float[] values, String what) throws PasticheException {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw nonFinite(what, v);
            }
        }
    }

    private static PasticheException nonFinite(String what, float v) {
        return new PasticheException(PasticheException.Reason.MODEL_OUTPUT_INVALID, "the style network returned "
                + (Float.isNaN(v) ? "NaN" : "infinite") + " values in its " + what + ": the model is broken");
    }

    /**
     * One run of {@code session} returning its {@code output} as floats, terminated if {@code cancel}
     * fires; {@code missing} is the message when the output is not a tensor, {@code failed} the
     * start of the one when the run fails.
     */
    static float[] runForFloats(OrtSession session, Map<String, OnnxTensor> inputs, String output,
            CancellationToken cancel, String missing, String failed) throws PasticheException {
        return runForFloats(session, inputs, Map.of(), output, cancel, missing, failed);
    }

    /** As above, with {@code constants} added to the inputs. */
    static float[] runForFloats(OrtSession session, Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> constants,
            String output, CancellationToken cancel, String missing, String failed) throws PasticheException {
        if (!constants.isEmpty()) {
            Map<String, OnnxTensor> all = new HashMap<>(constants);
            all.putAll(inputs);
            inputs = all;
        }
        try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            Runnable stop = terminateOnCancel(options, cancel);
            long t0 = System.nanoTime();
            try (OrtSession.Result r = session.run(inputs, Set.of(output), options)) {
                ORT_NANOS.get()[0] += System.nanoTime() - t0;
                Optional<OnnxValue> v = r.get(output);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, missing);
                }
                FloatBuffer fb = t.getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                checkFinite(values, output);
                return values;
            } finally {
                cancel.removeOnCancel(stop);
            }
        } catch (OrtException e) {
            if (cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, failed + ": " + ModelOpener.firstLine(e.getMessage()), e);
        }
    }

    /** Registers a listener that makes ONNX Runtime stop {@code options}' run when {@code cancel} fires; remove it after the run. */
    private static Runnable terminateOnCancel(OrtSession.RunOptions options, CancellationToken cancel) {
        Runnable stop = () -> {
            try {
                options.setTerminate(true);
            } catch (OrtException e) {
                LOG.debug("cannot stop the run: {}", e.getMessage());
            }
        };
        cancel.onCancel(stop);
        return stop;
    }
}
