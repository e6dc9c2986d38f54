package dev.switchboard.stack;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** A caller's place in a trace of its own: random W3C trace and span ids, and the {@code traceparent} that carries them. */
record ClientTrace(String traceId, String spanId) {
    static ClientTrace random() {
        return new ClientTrace(HexFormat.of().formatHex(randomBytes(16)), HexFormat.of().formatHex(randomBytes(8)));
    }

    /** The header value (version 00, sampled). */
    String traceparent() {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1; // never all zeros, which W3C trace context forbids
        return bytes;
    }
}
