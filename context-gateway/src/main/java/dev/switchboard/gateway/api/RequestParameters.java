package dev.switchboard.gateway.api;

import dev.switchboard.events.Issuer;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.CallerClaims;
import dev.switchboard.kit.problem.ProblemException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.regex.Pattern;

/** The parameters every command endpoint shares: wait, issuer, Idempotency-Key and session id. */
@Singleton
public class RequestParameters {
    public static final String ISSUER_HEADER = "X-Switchboard-Issuer";
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    private static final int MAX_HEADER_LENGTH = 200;
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]+");

    private final GatewayConfig config;
    private final CurrentCaller caller;
    private final ReceivedValues received;

    RequestParameters(GatewayConfig config, CurrentCaller caller, ReceivedValues received) {
        this.config = config;
        this.caller = caller;
        this.received = received;
    }

    /** The parsed common parameters. */
    public record Common(Duration waitUpTo, Issuer issuer, Caller caller, String idempotencyKey, String sessionId) {
    }

    /** An empty value ({@code Idempotency-Key:}, {@code ?sessionId=}) is refused like a blank one, never taken for absent. */
    public Common parse(CommandParameters params) {
        var commands = config.commands();
        Duration wait = WaitDuration.parse(received.query("wait", params.wait), commands.defaultWait(), commands.maxWait());
        Caller who = caller.get();
        return new Common(wait, who.issuer(label(received.header(ISSUER_HEADER, params.issuer))), who,
                idempotencyKey(received.header(IDEMPOTENCY_KEY_HEADER, params.idempotencyKey)),
                sessionId(received.query("sessionId", params.sessionId)));
    }

    /** The parameters of a dial: without {@code ?wait=} it answers at once; it may wait longer than a command (a phone rings). */
    public Common parse(DialParameters params) {
        Duration wait = WaitDuration.parse(received.query("wait", params.wait), Duration.ZERO, config.calls().maxWait());
        Caller who = caller.get();
        return new Common(wait, who.issuer(label(received.header(ISSUER_HEADER, params.issuer))), who,
                idempotencyKey(received.header(IDEMPOTENCY_KEY_HEADER, params.idempotencyKey)), null);
    }

    /**
     * The X-Switchboard-Issuer header is only a label for people (Issuer.displayName): who issued a command is the
     * token's subject and tenant, whatever the header says.
     */
    private static String label(String header) {
        if (header == null) {
            return null;
        }
        String label = Utf8Headers.decode(header).trim();
        if (label.isEmpty()) {
            throw ProblemException.invalid(ISSUER_HEADER + " must not be blank (leave it out to be labelled by the token)");
        }
        if (label.length() > MAX_HEADER_LENGTH) {
            throw ProblemException.invalid(ISSUER_HEADER + " is " + label.length() + " characters long; at most "
                    + MAX_HEADER_LENGTH + " are allowed");
        }
        // The rule the token's display name is held to. A token's name that breaks it falls back to the subject; the
        // header is the client's own choice, so it is refused, naming the header, rather than quietly replaced.
        if (!CallerClaims.printable(label)) {
            throw ProblemException.invalid(ISSUER_HEADER + " must be printable text: no control or format characters (such as"
                    + " a bidi override or a zero-width space), unassigned or private-use code points");
        }
        return label;
    }

    private static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        if (header.isBlank()) {
            throw ProblemException.invalid(IDEMPOTENCY_KEY_HEADER + " must not be blank");
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw ProblemException.invalid(IDEMPOTENCY_KEY_HEADER + " is " + header.length() + " characters long; at most "
                    + MAX_HEADER_LENGTH + " are allowed");
        }
        if (!VISIBLE_ASCII.matcher(header).matches()) {
            throw ProblemException.invalid(IDEMPOTENCY_KEY_HEADER + " may only contain visible ASCII characters (no spaces)");
        }
        // The key may become the whole command id (the default tenant's keys without a ':'), one segment of its
        // statusUrl; "." and ".." are the path's own segments there, which servers and clients resolve away.
        if (header.equals(".") || header.equals("..")) {
            throw ProblemException.invalid(IDEMPOTENCY_KEY_HEADER + " must not be \".\" or \"..\" (it names the command in a URL path)");
        }
        return header;
    }

    static String sessionId(String sessionId) {
        if (sessionId != null && sessionId.isBlank()) {
            throw ProblemException.invalid("sessionId must not be blank (leave it out to mean the room's latest session)");
        }
        return sessionId;
    }
}
