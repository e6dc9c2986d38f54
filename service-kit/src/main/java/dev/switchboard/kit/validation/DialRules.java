package dev.switchboard.kit.validation;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What an outbound call may ask for, wherever it comes from: the context gateway checks its HTTP requests against
 * these (as {@code @Pattern}s and ranges), the call controller every DialRequested it reads from Kafka, so a dial
 * written straight to the topic is held to the same rules.
 */
public final class DialRules {
    /** E.164: a plus, then up to 15 digits, the first not 0. */
    public static final String E164 = "\\+[1-9][0-9]{1,14}";
    /**
     * A SIP URI, loosely: the scheme, then no spaces, quotes or angle brackets, and no {@code ?}: a URI's headers part
     * ({@code sip:bob@pbx?Subject=...}) would be copied into the INVITE, letting a requester write SIP headers.
     * No control characters either (C0, DEL, C1: {@code \s} covers none of ESC, NUL and the like): the address is
     * logged and shown as written. Nor any other whitespace ({@code \s} is ASCII only: U+00A0 would pass and split the
     * INVITE line where a SIP stack reads it as a space) or format character (bidi overrides, zero-width spaces:
     * {@code sip:\u202Emoc.evil@...} shows as another address than it dials). The scheme is case-insensitive, as
     * RFC 3261 says.
     */
    public static final String SIP_URI = "(?i:sips?):[^\\s\\p{Z}\\p{Cc}\\p{Cf}\\p{Cs}<>\"?]{1,250}";
    /** What a call may be transferred to: an E.164 number (also as a {@code tel:} URI, the scheme in any case) or a SIP URI. */
    public static final String DESTINATION = "(?i:tel:)?" + E164 + "|" + SIP_URI;
    /**
     * A SIP user, as a {@code sip:} URI without a host ({@code sip:alice}, {@code sip:+15551234567}): LiveKit places an
     * outbound call to a number or a SIP user at the outbound trunk's address, and refuses a full URI, so the host is
     * the trunk's, never the caller's choice. No {@code @}, {@code :} (a password) or {@code ;} (parameters) either.
     */
    public static final String SIP_USER_URI = "(?i:sips?):[^\\s\\p{Z}\\p{Cc}\\p{Cf}\\p{Cs}<>\"?@:;]{1,250}";
    /** What may be dialled: an E.164 number (also as a {@code tel:} URI) or a SIP user ({@link #SIP_USER_URI}). */
    public static final String DIAL_DESTINATION = "(?i:tel:)?" + E164 + "|" + SIP_USER_URI;
    public static final Duration MIN_RINGING_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_RINGING_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration MIN_CALL_DURATION = Duration.ofSeconds(1);
    public static final Duration MAX_CALL_DURATION = Duration.ofHours(24);

    private static final Pattern DESTINATION_PATTERN = Pattern.compile(DESTINATION);
    private static final Pattern DIAL_DESTINATION_PATTERN = Pattern.compile(DIAL_DESTINATION);
    private static final Pattern E164_PATTERN = Pattern.compile(E164);

    private DialRules() {
    }

    /** Whether {@code destination} is an E.164 number (bare or as {@code tel:}) or a SIP URI, as written, nothing around it. */
    public static boolean isDestination(String destination) {
        return destination != null && DESTINATION_PATTERN.matcher(destination).matches();
    }

    /** Whether a call may be placed to {@code destination}, as written, nothing around it ({@link #DIAL_DESTINATION}). */
    public static boolean isDialDestination(String destination) {
        return destination != null && DIAL_DESTINATION_PATTERN.matcher(destination).matches();
    }

    /**
     * What LiveKit is asked to call for a dial destination: the number of an E.164 number or {@code tel:} URI, the user
     * of a {@code sip:} URI ({@code sip:alice} calls {@code alice} at the trunk's address).
     */
    public static String callTo(String dialDestination) {
        int colon = dialDestination.indexOf(':');
        return colon < 0 ? dialDestination : dialDestination.substring(colon + 1);
    }

    /** Whether {@code number} is an E.164 number, as written. */
    public static boolean isE164(String number) {
        return number != null && E164_PATTERN.matcher(number).matches();
    }
}
