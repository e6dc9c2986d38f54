package dev.switchboard.stack.cli;

import dev.switchboard.stack.LocalAuth;
import dev.switchboard.stack.TokenMain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the CLI sends: {@code --token}, else SWITCHBOARD_TOKEN, else one it signs itself with the local
 * stack's key, exactly as {@code ./switchboard token} does with its defaults (subject local-admin, tenant default, every
 * scope). Signing needs no service, and a short lifetime is enough for one command; a command that outlives it
 * ({@code tail} on a long call) signs a fresh one ({@link Token#renewed}).
 */
final class Tokens {
    static final String VARIABLE = "SWITCHBOARD_TOKEN";
    /** How long the tokens the CLI signs for itself last (15 min unless set: 90s, 30m, 2h, as ./switchboard token --ttl). */
    static final String LIFETIME_VARIABLE = "SWITCHBOARD_CLI_TOKEN_TTL";
    static final Duration LIFETIME = Duration.ofMinutes(15);
    static final String SUBJECT = "local-admin";
    static final String TENANT = "default";

    private Tokens() {
    }

    /**
     * Where the token came from, so that a refused token can be explained; {@code signer} is the local stack's key
     * when the CLI signed it (null for a token it was given, which it cannot renew).
     */
    record Token(String value, String source, LocalAuth signer, Duration lifetime) {
        Token(String value, String source) {
            this(value, source, null, null);
        }

        /** A fresh token like this one, when the CLI signed it; empty for a token it was given. */
        Optional<Token> renewed() {
            return signer == null ? Optional.empty() : Optional.of(signed(signer, lifetime));
        }
    }

    static Token choose(String option, Map<String, String> env, Path stateDirectory, String shownStateDirectory) {
        if (option != null) {
            return new Token(bare(option, "--token"), "--token");
        }
        String variable = env.get(VARIABLE);
        if (variable != null) {
            // Set but blank is refused, not read as unset: a script whose token lookup printed nothing must not act as
            // the local stack's admin, who sees every tenant.
            if (variable.isBlank()) {
                throw CliException.usage(VARIABLE + " is set but empty; set it to a bearer token, or unset it to use the local stack's");
            }
            return new Token(bare(variable, VARIABLE), VARIABLE);
        }
        // Made by the stack at its first start; a key made here instead would sign tokens no running service trusts.
        LocalAuth auth = LocalAuth.existing(stateDirectory).orElseThrow(() -> CliException.unreachable(
                "no local stack has run here yet: " + shownStateDirectory + "/auth holds no signing key. Start it with "
                        + "./switchboard up, or pass --token (or set " + VARIABLE + ") for another deployment"));
        return signed(auth, lifetime(env));
    }

    private static Token signed(LocalAuth auth, Duration lifetime) {
        return new Token(auth.sign(SUBJECT, TENANT, LocalAuth.ALL_SCOPES, lifetime), "the local stack's key", auth, lifetime);
    }

    private static Duration lifetime(Map<String, String> env) {
        String value = env.get(LIFETIME_VARIABLE);
        if (value == null || value.isBlank()) {
            return LIFETIME;
        }
        try {
            return TokenMain.lifetime(value.strip(), LIFETIME_VARIABLE);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** A token as given, without a "Bearer " someone copied along with it. */
    private static String bare(String token, String where) {
        String value = token.strip();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).strip();
        }
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw CliException.usage(where + " is not a bearer token (it is empty or holds spaces or other characters a token cannot)");
        }
        return value;
    }
}
