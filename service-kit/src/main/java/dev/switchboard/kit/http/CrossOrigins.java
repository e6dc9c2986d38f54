package dev.switchboard.kit.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Origin headers a service's CORS settings ({@code quarkus.http.cors.enabled}, {@code quarkus.http.cors.origins})
 * refuse, decided before Quarkus' CORS filter does, so that the refusal can be a 403 problem: that filter answers an
 * empty 403. The decision errs on the side of letting a request through, never the other way: an origin Quarkus would
 * allow is never refused here. An origin is let through when it is listed (exactly, or by a {@code /regex/} entry),
 * when every origin is allowed ({@code *}, {@code /.*}{@code /}), or when its host and port are those the request was
 * sent to (a default port standing for none, whatever the scheme: Quarkus' same-origin rule also compares schemes and
 * paths; what passes here and not there is still refused by Quarkus, with its empty 403).
 */
public final class CrossOrigins {
    private static final CrossOrigins OFF = new CrossOrigins(false, false, Set.of(), List.of());

    private final boolean enabled;
    private final boolean anyOrigin;
    private final Set<String> listed;
    private final List<Pattern> patterns;

    private CrossOrigins(boolean enabled, boolean anyOrigin, Set<String> listed, List<Pattern> patterns) {
        this.enabled = enabled;
        this.anyOrigin = anyOrigin;
        this.listed = listed;
        this.patterns = patterns;
    }

    /** From the settings as Quarkus reads them; CORS off: nothing is refused (Quarkus then checks no origin either). */
    public static CrossOrigins of(boolean enabled, Optional<List<String>> origins) {
        if (!enabled) {
            return OFF;
        }
        List<String> configured = origins.orElse(List.of()).stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        List<Pattern> patterns = new ArrayList<>();
        boolean any = false;
        for (String origin : configured) {
            if (origin.equals("*") || origin.equals("/.*/")) {
                any = true;
            } else if (origin.length() > 1 && origin.startsWith("/") && origin.endsWith("/")) {
                try {
                    patterns.add(Pattern.compile(origin.substring(1, origin.length() - 1)));
                } catch (PatternSyntaxException e) {
                    any = true; // Quarkus fails to start on it; here nothing is refused on a guess
                }
            }
        }
        return new CrossOrigins(true, any, Set.copyOf(configured), List.copyOf(patterns));
    }

    /**
     * @param origin      the request's Origin header; null when it has none (not a cross-origin request: never refused)
     * @param requestHost the host the request was sent to (its Host header's host, without the port)
     * @param requestPort the port of its Host header, or -1 when it names none
     * @return true when the request must be refused because of its origin
     */
    public boolean refuses(String origin, String requestHost, int requestPort) {
        if (!enabled || anyOrigin || origin == null || listed.contains(origin)) {
            return false;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(origin).matches()) {
                return false;
            }
        }
        Authority from = Authority.of(origin);
        if (from == null) {
            return true; // not scheme://host[:port]: neither listed nor the service's own
        }
        if (requestHost == null) {
            return false;
        }
        return !bare(from.host()).equals(bare(requestHost)) || !samePort(from.port(), requestPort);
    }

    /**
     * Whether two ports (-1: none named) may be the same origin's, as Quarkus' same-origin check reads them: equal, or
     * one unnamed and the other unnamed too or a default port (80, 443; Quarkus also matches it with the scheme).
     */
    private static boolean samePort(int origin, int request) {
        if (origin == request) {
            return true;
        }
        if (origin >= 0 && request >= 0) {
            return false;
        }
        int named = Math.max(origin, request);
        return named == 80 || named == 443;
    }

    /** The host and port (-1: none) of an origin ({@code scheme://host[:port]}). */
    record Authority(String host, int port) {
        /** Null when the origin has no host or its port is not a number. */
        static Authority of(String origin) {
            int start = origin.indexOf("://");
            if (start <= 0) {
                return null;
            }
            String rest = origin.substring(start + 3);
            int end = rest.length();
            for (char stop : new char[]{'/', '?', '#'}) {
                int at = rest.indexOf(stop);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            String authority = rest.substring(rest.lastIndexOf('@', end - 1) + 1, end); // without user info, as URI.getHost() reads it
            int colon = authority.lastIndexOf(':');
            if (colon < 0 || authority.lastIndexOf(']') > colon) {
                return authority.isEmpty() ? null : new Authority(authority, -1);
            }
            String host = authority.substring(0, colon);
            String port = authority.substring(colon + 1);
            if (host.isEmpty() || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return null;
            }
            return new Authority(host, Integer.parseInt(port));
        }
    }

    private static String bare(String host) {
        String stripped = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return stripped.toLowerCase(Locale.ROOT);
    }
}
