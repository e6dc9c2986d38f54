package dev.switchboard.worker.voice.stt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A RIFF/WAVE file of mono 16-bit PCM, the upload format of transcription APIs. */
final class Wav {
    private Wav() {
    }

    static byte[] encode(byte[] pcm, int sampleRate) {
        ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(pcm.length).put(pcm);
        return wav.array();
    }
}
