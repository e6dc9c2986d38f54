package dev.switchboard.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes to an HTTP server as they are, malformed or not, and reads what comes back: what a browser or an HTTP
 * library would refuse to send is exactly what a hostile client sends. A successful {@code text/event-stream} answer is
 * read up to its headers only, and the connection then closed: a stream that is served never ends by itself.
 */
public final class RawHttp {
    private static final int MAX_BODY = 1 << 20;
    private static final String EVENT_STREAM = "text/event-stream";

    private RawHttp() {
    }

    /**
     * What came back.
     *
     * @param status  the status code; {@link #NO_ANSWER} when the server closed the connection without one,
     *                {@link #TIMED_OUT} when nothing complete came in time
     * @param headers response headers, names in lower case
     */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static final int NO_ANSWER = -1;
        public static final int TIMED_OUT = -2;

        public boolean isServerError() {
            return status >= 500;
        }

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    public static Answer send(int port, byte[] request, Duration timeout) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer (and close) before it read everything we send: read the answer anyway.
            }
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return new Answer(Answer.TIMED_OUT, Map.of(), "");
        } catch (IOException e) {
            return new Answer(Answer.NO_ANSWER, Map.of(), e.toString());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        Answer answer = readOne(in);
        while (answer.status() >= 100 && answer.status() < 200) {
            answer = readOne(in); // an interim answer (100 Continue): the final one follows
        }
        return answer;
    }

    private static Answer readOne(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || statusLine.isEmpty()) {
            return new Answer(Answer.NO_ANSWER, Map.of(), "");
        }
        String[] parts = statusLine.split(" ", 3);
        // The version echoes the request's ("HTTPS/1.1 501"): only the status code matters.
        if (parts.length < 2 || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        // A stream's success does not end (Server-Sent Events run until the client leaves): its status line and headers
        // are the answer, and the caller closing the connection is how a client leaves.
        boolean stream = status >= 200 && status < 300 && headers.getOrDefault("content-type", "").startsWith(EVENT_STREAM);
        return new Answer(status, headers, status < 200 || stream ? "" : body(in, headers));
    }

    private static String body(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                copy(in, body, n);
                line(in);
            }
        } else if (length != null) {
            copy(in, body, Math.min(Integer.parseInt(length.split(",")[0].trim()), MAX_BODY));
        } else {
            // An HTTP/1.0-style answer ends when the connection does (our requests ask for it to close).
            in.transferTo(body);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        out.write(bytes);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        if (c == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
