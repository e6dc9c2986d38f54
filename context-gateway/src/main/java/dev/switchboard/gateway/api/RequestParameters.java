package dev.switchboard.gateway.api;

import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.gateway.config.GatewayConfig;
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

    RequestParameters(GatewayConfig config) {
        this.config = config;
    }

    /** The parsed common parameters. */
    public record Common(Duration waitUpTo, Issuer issuer, String idempotencyKey, String sessionId) {
    }

    public Common parse(CommandParameters received) {
        var commands = config.commands();
        Duration wait = WaitDuration.parse(received.wait, commands.defaultWait(), commands.maxWait());
        return new Common(wait, issuer(received.issuer), idempotencyKey(received.idempotencyKey), sessionId(received.sessionId));
    }

    private Issuer issuer(String header) {
        String id = header == null ? config.defaultIssuer() : header.trim();
        if (id.isEmpty()) {
            throw ProblemException.invalid(ISSUER_HEADER + " must not be blank (leave it out to issue as \""
                    + config.defaultIssuer() + "\")");
        }
        if (id.length() > MAX_HEADER_LENGTH) {
            throw ProblemException.invalid(ISSUER_HEADER + " is " + id.length() + " characters long; at most "
                    + MAX_HEADER_LENGTH + " are allowed");
        }
        return Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId(id).build();
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
        return header;
    }

    private static String sessionId(String sessionId) {
        if (sessionId != null && sessionId.isBlank()) {
            throw ProblemException.invalid("sessionId must not be blank (leave it out to mean the room's latest session)");
        }
        return sessionId;
    }
}
