package dev.switchboard.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real speech for a caller of a LiveKit call in the fake SFU, synthesized by espeak-ng (nothing recorded is committed)
 * and brought from its 22,050 Hz to 16 kHz raw PCM by linear interpolation (plenty for a speech recognizer that is a fake).
 */
final class CallerSpeech {
    static final int SAMPLE_RATE = 16_000;

    private CallerSpeech() {
    }

    /** A raw 16 kHz PCM file of {@code text} spoken, which the fake SFU plays as a participant's microphone. */
    static Path of(String text) throws IOException, InterruptedException {
        Process espeak = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "160", "--stdout", text).start();
        byte[] wav = espeak.getInputStream().readAllBytes();
        if (!espeak.waitFor(30, TimeUnit.SECONDS) || espeak.exitValue() != 0) {
            throw new IllegalStateException("espeak-ng failed: " + new String(espeak.getErrorStream().readAllBytes()));
        }
        ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int rate = in.getInt(24);
        int data = new String(wav, 0, Math.min(wav.length, 512), StandardCharsets.ISO_8859_1).indexOf("data") + 8;
        int samples = (wav.length - data) / 2;
        int outSamples = (int) ((long) samples * SAMPLE_RATE / rate);
        ByteBuffer out = ByteBuffer.allocate(outSamples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < outSamples; i++) {
            double position = (double) i * rate / SAMPLE_RATE;
            int left = (int) position;
            int right = Math.min(samples - 1, left + 1);
            double fraction = position - left;
            double value = in.getShort(data + 2 * left) * (1 - fraction) + in.getShort(data + 2 * right) * fraction;
            out.putShort((short) Math.round(value));
        }
        Path pcm = Files.createTempFile("caller-speech", ".pcm");
        pcm.toFile().deleteOnExit(); // the fake SFU reads it while the call runs
        Files.write(pcm, out.array());
        return pcm;
    }
}
