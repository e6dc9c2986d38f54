package dev.switchboard.worker.voice.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Silero VAD (v5, ONNX) run with ONNX Runtime on 16 kHz audio: windows of 512 samples, each given with the 64
 * samples before it, and the model's recurrent state carried from window to window. The model is loaded once per
 * process ({@link Model}); each caller gets its own detector, since the state is per stream.
 */
public final class SileroVad implements VoiceActivityDetector {
    private static final int WINDOW = 512;
    private static final int CONTEXT = 64;
    private static final String BUNDLED = "META-INF/switchboard/native/silero_vad.onnx";
    private static final String UNAVAILABLE = "META-INF/switchboard/native/silero_vad.onnx.UNAVAILABLE.txt";

    /** The loaded model, shared by every detector (ONNX Runtime sessions are safe to run concurrently). */
    public static final class Model implements AutoCloseable {
        private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
        private final OrtSession session;

        private Model(byte[] onnx) throws OrtException {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // Each call is tiny; one thread per run keeps many concurrent calls from oversubscribing the cores.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(onnx, options);
        }

        /**
         * Loads the model from SWITCHBOARD_VAD_MODEL (a path) or the copy bundled at build time.
         *
         * @throws IllegalStateException saying what is missing and how to get it
         */
        public static Model load(Optional<Path> override) {
            try {
                if (override.isPresent()) {
                    return new Model(Files.readAllBytes(override.get()));
                }
                ClassLoader loader = SileroVad.class.getClassLoader();
                try (InputStream in = loader.getResourceAsStream(BUNDLED)) {
                    if (in != null) {
                        return new Model(in.readAllBytes());
                    }
                }
                try (InputStream why = loader.getResourceAsStream(UNAVAILABLE)) {
                    throw new IllegalStateException(why == null ? "the Silero VAD model is not bundled; set SWITCHBOARD_VAD_MODEL"
                            : new String(why.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Silero VAD model", e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime cannot load the Silero VAD model: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                // nothing to do at shutdown
            }
        }
    }

    private final Model model;
    private final float[] input = new float[CONTEXT + WINDOW];
    private float[][][] state = new float[2][1][128];
    private final OnnxTensor sampleRate;

    public SileroVad(Model model) {
        this.model = model;
        try {
            this.sampleRate = OnnxTensor.createTensor(model.environment, new long[]{16_000});
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int windowSamples() {
        return WINDOW;
    }

    @Override
    public float speechProbability(float[] window) {
        System.arraycopy(window, 0, input, CONTEXT, WINDOW);
        try (OnnxTensor audio = OnnxTensor.createTensor(model.environment, FloatBuffer.wrap(input), new long[]{1, CONTEXT + WINDOW});
             OnnxTensor recurrent = OnnxTensor.createTensor(model.environment, state);
             OrtSession.Result result = model.session.run(Map.of("input", audio, "state", recurrent, "sr", sampleRate))) {
            float probability = ((float[][]) result.get(0).getValue())[0][0];
            state = (float[][][]) result.get(1).getValue();
            // The next window is given with the last 64 samples of this one.
            System.arraycopy(input, WINDOW, input, 0, CONTEXT);
            return probability;
        } catch (OrtException e) {
            throw new IllegalStateException("the VAD model failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sampleRate.close();
    }
}
