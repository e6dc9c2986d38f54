package dev.switchboard.transcripts.api;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 9110's conditions on a GET of one representation with a strong ETag: {@code If-Match} compares strongly (a weak
 * tag never holds), {@code If-None-Match} weakly ({@code W/"x"} matches {@code "x"}: a cache that weakened our tag, as
 * compressing proxies do, still gets its 304). JAX-RS' {@code Request.evaluatePreconditions} compares both strongly.
 * A list entry that is not an entity tag matches nothing.
 */
enum ConditionalGet {
    /** No condition, or every condition holds: send the representation. */
    SEND,
    /** If-None-Match names the current version: 304. */
    NOT_MODIFIED,
    /** If-Match names no current version: 412. */
    PRECONDITION_FAILED;

    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*(?:,|$)");

    static ConditionalGet of(HttpHeaders headers, EntityTag current) {
        String ifMatch = joined(headers.getRequestHeader(HttpHeaders.IF_MATCH));
        if (ifMatch != null && !isAny(ifMatch) && !names(ifMatch, current, false)) {
            return PRECONDITION_FAILED;
        }
        String ifNoneMatch = joined(headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH));
        if (ifNoneMatch != null && (isAny(ifNoneMatch) || names(ifNoneMatch, current, true))) {
            return NOT_MODIFIED;
        }
        return SEND;
    }

    private static boolean names(String list, EntityTag current, boolean weakly) {
        Matcher tag = TAG.matcher(list);
        while (tag.lookingAt()) {
            boolean weak = tag.group(1) != null;
            if (tag.group(2).equals(current.getValue()) && (weakly || !weak)) {
                return true;
            }
            tag.region(tag.end(), list.length());
        }
        return false;
    }

    private static boolean isAny(String list) {
        return list.strip().equals("*");
    }

    /** Several header lines are one comma-separated list. */
    private static String joined(List<String> lines) {
        return lines == null || lines.isEmpty() ? null : String.join(",", lines);
    }
}
