package dev.switchboard.testing.sfu;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 server (one request per connection, {@code Connection: close}) with WebSocket upgrade
 * (RFC 6455), enough for LiveKit's signalling and a JSON control API. One virtual thread per connection.
 */
final class MiniHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MiniHttpServer.class.getName());
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** Handles one request; it must answer with {@link Exchange#respond} or {@link Exchange#upgradeToWebSocket}. */
    interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Thread acceptor;
    private volatile boolean closed;

    MiniHttpServer(InetAddress bind, int port, Handler handler) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(bind, port), 64);
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().daemon().name("sfu-http-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "accept failed", e);
                }
                return;
            }
            Thread.ofVirtual().name("sfu-http-conn").start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            Exchange exchange = Exchange.read(socket, in, out);
            if (exchange == null) {
                return;
            }
            try {
                handler.handle(exchange);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "handler failed for " + exchange.method + " " + exchange.path, e);
                if (!exchange.answered) {
                    exchange.respond(500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!exchange.answered) {
                exchange.respond(500, "text/plain", "no response".getBytes(StandardCharsets.UTF_8));
            }
        } catch (SocketException ignored) {
            // peer went away
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
        }
    }

    /** One HTTP request and its answer. */
    static final class Exchange {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final String method;
        final String path;
        final String rawQuery;
        final Map<String, String> headers; // lower-case names
        final byte[] body;
        boolean answered;

        private Exchange(Socket socket, InputStream in, OutputStream out, String method, String path, String rawQuery,
                Map<String, String> headers, byte[] body) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.method = method;
            this.path = path;
            this.rawQuery = rawQuery;
            this.headers = headers;
            this.body = body;
        }

        static Exchange read(Socket socket, InputStream in, OutputStream out) throws IOException {
            String head = readHead(in);
            if (head == null || head.isBlank()) {
                return null;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length < 3) {
                throw new IOException("bad request line: " + lines[0]);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String target = requestLine[1];
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q + 1);
            byte[] body = new byte[0];
            String length = headers.get("content-length");
            if (length != null) {
                int n = Integer.parseInt(length.trim());
                if (n < 0 || n > MAX_BODY_BYTES) {
                    throw new IOException("body too large: " + n);
                }
                body = in.readNBytes(n);
            } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                body = readChunked(in);
            }
            return new Exchange(socket, in, out, requestLine[0].toUpperCase(Locale.ROOT), path, query, headers, body);
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
            int state = 0; // matches \r\n\r\n
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
                }
                buf.write(b);
                if (buf.size() > MAX_HEADER_BYTES) {
                    throw new IOException("request head too large");
                }
                state = switch (state) {
                    case 0, 2 -> b == '\r' ? state + 1 : 0;
                    case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                    case 3 -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
                    default -> 0;
                };
                if (state == 4) {
                    String s = buf.toString(StandardCharsets.ISO_8859_1);
                    return s.substring(0, s.length() - 4);
                }
            }
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                if (body.size() + size > MAX_BODY_BYTES) {
                    throw new IOException("body too large");
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        Map<String, String> query() {
            Map<String, String> m = new LinkedHashMap<>();
            if (rawQuery.isEmpty()) {
                return m;
            }
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                m.put(k, v);
            }
            return m;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        void respond(int status, String contentType, byte[] content) throws IOException {
            if (answered) {
                throw new IllegalStateException("already answered");
            }
            answered = true;
            String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "Content-Length: " + content.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
        }

        void respondText(int status, String text) throws IOException {
            respond(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        boolean isWebSocketUpgrade() {
            return "websocket".equalsIgnoreCase(header("upgrade")) && header("sec-websocket-key") != null;
        }

        /** Answers 101 and returns the connection as a WebSocket (the caller then owns this thread). */
        WebSocket upgradeToWebSocket() throws IOException {
            if (!isWebSocketUpgrade()) {
                throw new IllegalStateException("not a WebSocket upgrade");
            }
            answered = true;
            String accept = acceptKey(header("sec-websocket-key"));
            String head = "HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new WebSocket(socket, in, out);
        }

        private static String acceptKey(String key) {
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                byte[] d = sha1.digest((key.trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
                return Base64.getEncoder().encodeToString(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 204 -> "No Content";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 409 -> "Conflict";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
