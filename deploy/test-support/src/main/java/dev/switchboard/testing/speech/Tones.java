package dev.switchboard.testing.speech;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Audio the fake providers "synthesize": a tone whose length says how much text it stands for. */
public final class Tones {
    /** The fake voices speak 60 ms per character. */
    public static final int MILLIS_PER_CHAR = 60;

    private Tones() {
    }

    public static byte[] pcm(int sampleRate, long millis, double hz) {
        int samples = (int) (sampleRate * millis / 1000);
        ByteBuffer buffer = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            buffer.putShort((short) Math.round(0.3 * 32767 * Math.sin(2 * Math.PI * hz * i / sampleRate)));
        }
        return buffer.array();
    }

    public static byte[] forText(String text, int sampleRate) {
        return pcm(sampleRate, (long) text.length() * MILLIS_PER_CHAR, 440);
    }
}
