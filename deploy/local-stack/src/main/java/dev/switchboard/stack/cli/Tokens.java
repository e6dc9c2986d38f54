package dev.switchboard.stack.cli;

import dev.switchboard.stack.LocalAuth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The bearer token the CLI sends: {@code --token}, else SWITCHBOARD_TOKEN, else one it signs itself with the local
 * stack's key, exactly as {@code ./switchboard token} does with its defaults (subject local-admin, tenant default, every
 * scope). Signing needs no service, and a short lifetime is enough for one command.
 */
final class Tokens {
    static final String VARIABLE = "SWITCHBOARD_TOKEN";
    static final Duration LIFETIME = Duration.ofMinutes(15);
    static final String SUBJECT = "local-admin";
    static final String TENANT = "default";

    private Tokens() {
    }

    /** Where the token came from, so that a refused token can be explained. */
    record Token(String value, String source) {
    }

    static Token choose(String option, Map<String, String> env, Path stateDirectory, String shownStateDirectory) {
        if (option != null) {
            return new Token(bare(option, "--token"), "--token");
        }
        String variable = env.get(VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return new Token(bare(variable, VARIABLE), VARIABLE);
        }
        // Made by the stack at its first start; a key made here instead would sign tokens no running service trusts.
        LocalAuth auth = LocalAuth.existing(stateDirectory).orElseThrow(() -> CliException.unreachable(
                "no local stack has run here yet: " + shownStateDirectory + "/auth holds no signing key. Start it with "
                        + "./switchboard up, or pass --token (or set " + VARIABLE + ") for another deployment"));
        return new Token(auth.sign(SUBJECT, TENANT, LocalAuth.ALL_SCOPES, LIFETIME), "the local stack's key");
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
