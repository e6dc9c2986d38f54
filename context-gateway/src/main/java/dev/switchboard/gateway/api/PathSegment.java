package dev.switchboard.gateway.api;

import java.nio.charset.StandardCharsets;

/**
 * A value written into a URL path as one segment (RFC 3986), for the links the gateway hands out (statusUrl,
 * Location): command ids and rooms may be chosen by clients (an Idempotency-Key, a dial's room, a room another system
 * dialled), and a '/', '?', '#' or '%' left as it is would make the link name another path, cut it at a query or
 * fragment, or be decoded into something else. The server decodes the segment back into the path parameter, so
 * following the link finds what it was made from.
 */
final class PathSegment {
    private PathSegment() {
    }

    /**
     * Letters, digits, '-', '.', '_', '~' (unreserved) and ':' as they are, every other UTF-8 byte as %XX. A ':' is
     * allowed in a segment and keeps tenant-prefixed command ids ({@code acme:key}) readable; '+' is escaped too, as
     * some servers and clients read it as a space.
     */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
