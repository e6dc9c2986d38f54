package dev.switchboard.testing.sfu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** 10 ms frames of 16-bit PCM for a fake participant's track: a tone, silence, or a PCM/WAV file. */
abstract class AudioFeed {

    final int sampleRate;
    final int channels;

    AudioFeed(int sampleRate, int channels) {
        if (sampleRate % 100 != 0) {
            throw new IllegalArgumentException("sample rate must be a multiple of 100 Hz: " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
    }

    int samplesPer10ms() {
        return sampleRate / 100;
    }

    /** The next 10 ms, little-endian, interleaved. */
    abstract byte[] next();

    /** A sine tone (amplitude 0..1 of full scale; 0 is silence). */
    static AudioFeed tone(double frequencyHz, double amplitude, int sampleRate) {
        return new AudioFeed(sampleRate, 1) {
            private double phase;

            @Override
            byte[] next() {
                int n = samplesPer10ms();
                ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
                double step = 2 * Math.PI * frequencyHz / sampleRate;
                for (int i = 0; i < n; i++) {
                    b.putShort((short) Math.round(amplitude * 32767 * Math.sin(phase)));
                    phase += step;
                    if (phase > 2 * Math.PI) {
                        phase -= 2 * Math.PI;
                    }
                }
                return b.array();
            }
        };
    }

    /**
     * A file: WAV (PCM 16-bit, its own rate and channels) or raw little-endian 16-bit PCM at {@code rawSampleRate},
     * mono. Played once then silence, or looped.
     */
    static AudioFeed file(Path path, int rawSampleRate, boolean loop) throws IOException {
        byte[] all = Files.readAllBytes(path);
        int rate = rawSampleRate;
        int ch = 1;
        int offset = 0;
        int length = all.length;
        if (all.length >= 44 && new String(all, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")) {
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 12;
            boolean fmt = false;
            while (pos + 8 <= all.length) {
                String id = new String(all, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
                int size = b.getInt(pos + 4);
                if (id.equals("fmt ")) {
                    int format = b.getShort(pos + 8) & 0xFFFF;
                    ch = b.getShort(pos + 10);
                    rate = b.getInt(pos + 12);
                    int bits = b.getShort(pos + 22);
                    if (format != 1 || bits != 16) {
                        throw new IOException("only PCM 16-bit WAV is supported: format " + format + ", " + bits + " bits");
                    }
                    fmt = true;
                } else if (id.equals("data")) {
                    offset = pos + 8;
                    length = Math.min(size, all.length - offset);
                    break;
                }
                pos += 8 + size + (size & 1);
            }
            if (!fmt) {
                throw new IOException("WAV without a fmt chunk: " + path);
            }
        }
        byte[] pcm = java.util.Arrays.copyOfRange(all, offset, offset + length);
        return new AudioFeed(rate, ch) {
            private int pos;

            @Override
            byte[] next() {
                byte[] out = new byte[2 * samplesPer10ms() * channels];
                int filled = 0;
                while (filled < out.length && pcm.length > 0) {
                    if (pos >= pcm.length) {
                        if (!loop) {
                            break;
                        }
                        pos = 0;
                    }
                    int n = Math.min(out.length - filled, pcm.length - pos);
                    System.arraycopy(pcm, pos, out, filled, n);
                    pos += n;
                    filled += n;
                }
                return out;
            }
        };
    }
}
