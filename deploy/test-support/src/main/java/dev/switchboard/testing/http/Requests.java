package dev.switchboard.testing.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the bytes of an HTTP/1.1 request, well-formed unless the parts are not. */
public final class Requests {
    private Requests() {
    }

    /** A request that asks the server to close the connection after answering; a non-null body gets its Content-Length. */
    public static byte[] of(String method, String target, Map<String, String> headers, String body) {
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (content != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (content != null) {
            bytes.writeBytes(content);
        }
        return bytes.toByteArray();
    }

    public static byte[] get(String target, Map<String, String> headers) {
        return of("GET", target, headers, null);
    }
}
