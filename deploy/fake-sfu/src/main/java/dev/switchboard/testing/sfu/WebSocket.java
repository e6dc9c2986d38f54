package dev.switchboard.testing.sfu;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The server side of a WebSocket (RFC 6455): reads masked client frames (reassembling fragments, answering
 * pings), writes unmasked frames. Writes are serialized; one thread reads.
 */
final class WebSocket implements AutoCloseable {

    private static final int MAX_MESSAGE = 16 * 1024 * 1024;
    private static final int OP_CONT = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xA;

    /** A complete data message. */
    record Message(boolean binary, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private volatile boolean closeSent;
    private volatile int closeCode = -1;

    WebSocket(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** The next data message, or null once the peer closed (or the connection broke). */
    Message read() throws IOException {
        ByteArrayOutputStream fragments = null;
        int messageOp = -1;
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int op = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            if (len > MAX_MESSAGE) {
                close(1009, "message too big");
                throw new IOException("frame too large: " + len);
            }
            byte[] mask = masked ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) len);
            if (payload.length != len || (masked && mask.length != 4)) {
                throw new EOFException("truncated frame");
            }
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            switch (op) {
                case OP_PING -> sendFrame(OP_PONG, payload);
                case OP_PONG -> { }
                case OP_CLOSE -> {
                    closeCode = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    if (!closeSent) {
                        try {
                            sendClose(1000, "");
                        } catch (IOException ignored) {
                        }
                    }
                    return null;
                }
                case OP_TEXT, OP_BINARY, OP_CONT -> {
                    if (op != OP_CONT) {
                        messageOp = op;
                    }
                    if (fin && fragments == null) {
                        return new Message(messageOp == OP_BINARY, payload);
                    }
                    if (fragments == null) {
                        fragments = new ByteArrayOutputStream();
                    }
                    fragments.write(payload);
                    if (fragments.size() > MAX_MESSAGE) {
                        throw new IOException("message too large");
                    }
                    if (fin) {
                        return new Message(messageOp == OP_BINARY, fragments.toByteArray());
                    }
                }
                default -> throw new IOException("unknown opcode " + op);
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    void sendBinary(byte[] data) throws IOException {
        sendFrame(OP_BINARY, data);
    }

    void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        synchronized (writeLock) {
            if (closeSent) {
                return;
            }
            writeFrame(OP_CLOSE, payload);
            closeSent = true;
        }
    }

    private void sendFrame(int op, byte[] payload) throws IOException {
        synchronized (writeLock) {
            if (closeSent) {
                throw new IOException("WebSocket closed");
            }
            writeFrame(op, payload);
        }
    }

    private void writeFrame(int op, byte[] payload) throws IOException {
        int n = payload.length;
        byte[] head;
        if (n < 126) {
            head = new byte[] {(byte) (0x80 | op), (byte) n};
        } else if (n < 65536) {
            head = new byte[] {(byte) (0x80 | op), 126, (byte) (n >> 8), (byte) n};
        } else {
            head = new byte[10];
            head[0] = (byte) (0x80 | op);
            head[1] = 127;
            for (int i = 0; i < 8; i++) {
                head[9 - i] = (byte) ((long) n >> (8 * i));
            }
        }
        out.write(head);
        out.write(payload);
        out.flush();
    }

    /** The peer's close code, -1 if it did not send one. */
    int closeCode() {
        return closeCode;
    }

    /** Sends a close frame (if not yet sent) and closes the socket. */
    void close(int code, String reason) {
        try {
            sendClose(code, reason);
        } catch (IOException ignored) {
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
        }
    }
}
