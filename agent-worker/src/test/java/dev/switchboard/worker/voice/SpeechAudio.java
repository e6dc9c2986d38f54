package dev.switchboard.worker.voice;

import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.audio.Resampler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Real speech for tests, synthesized by espeak-ng (a Debian package; .ci/run installs it) and resampled to
 * 16 kHz: nothing recorded is committed to the repository.
 */
public final class SpeechAudio {
    private SpeechAudio() {
    }

    public static MonoAudio speak(String text) {
        try {
            Process espeak = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "160", "--stdout", text).start();
            byte[] wav;
            try (InputStream in = espeak.getInputStream()) {
                wav = in.readAllBytes();
            }
            if (!espeak.waitFor(30, TimeUnit.SECONDS) || espeak.exitValue() != 0) {
                throw new IllegalStateException("espeak-ng failed: " + new String(espeak.getErrorStream().readAllBytes()));
            }
            ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
            int rate = header.getInt(24);
            int data = indexOf(wav, "data".getBytes()) + 8; // espeak-ng streams: the data size field is not reliable
            MonoAudio raw = MonoAudio.fromLittleEndianBytes(wav, data, wav.length - data, rate);
            return new Resampler(rate, 16_000).process(raw);
        } catch (IOException e) {
            throw new IllegalStateException("espeak-ng is needed for speech test audio (apt-get install espeak-ng): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A sine of this pitch and amplitude at 16 kHz (a voicemail beep, line hum). */
    public static MonoAudio tone(double hz, int amplitude, long millis) {
        short[] samples = new short[(int) (16 * millis)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / 16_000));
        }
        return new MonoAudio(samples, 16_000);
    }

    public static MonoAudio silence(long millis) {
        return new MonoAudio(new short[(int) (16 * millis)], 16_000);
    }

    /** Splits audio into 20 ms frames, as a media engine delivers it. */
    public static java.util.List<MonoAudio> frames(MonoAudio audio) {
        java.util.List<MonoAudio> frames = new java.util.ArrayList<>();
        for (int start = 0; start < audio.length(); start += 320) {
            frames.add(new MonoAudio(Arrays.copyOfRange(audio.samples(), start, Math.min(audio.length(), start + 320)), audio.sampleRate()));
        }
        return frames;
    }

    public static MonoAudio concat(MonoAudio... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (MonoAudio part : parts) {
            joined.writeBytes(part.toLittleEndianBytes());
        }
        byte[] bytes = joined.toByteArray();
        return MonoAudio.fromLittleEndianBytes(bytes, 0, bytes.length, 16_000);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no data chunk");
    }
}
