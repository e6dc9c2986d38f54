package dev.switchboard.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./switchboard token [--tenant T] [--scope S]... [--subject NAME] [--ttl 12h]}: a bearer token for the local
 * stack, alone on the last line of standard output (what it grants goes to standard error), so
 * {@code TOKEN=$(./switchboard token)} works.
 */
public final class TokenMain {
    private static final Pattern TTL = Pattern.compile("(\\d+)\\s*(s|m|min|h|d)");
    private static final Duration LONGEST_TTL = Duration.ofDays(365);
    private static final int MAX_SUBJECT_LENGTH = 200;
    /**
     * A tenant name by the rule the agent worker gives every call's tenant (its Tenants, for room metadata and
     * configuration alike): 1 to 64 letters, digits, {@code . _ -}. A token for any other name would act for a tenant
     * no call can belong to.
     */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private TokenMain() {
    }

    /** What to put in the token. */
    record Request(String subject, String tenant, List<String> scopes, Duration ttl) {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        try {
            Request request = parse(Arrays.asList(args).subList(Math.min(1, args.length), args.length));
            System.out.println(sign(request, StackSettings.fromEnvironment(root, System.getenv()), System.err));
        } catch (StackException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Signs the token with the state directory's key (made if there is none yet); what it grants goes to {@code notes}. */
    static String sign(Request request, StackSettings settings, PrintStream notes) {
        boolean keyIsNew = LocalAuth.existing(settings.stateDirectory()).isEmpty();
        LocalAuth auth = LocalAuth.ensure(settings.stateDirectory());
        if (keyIsNew) {
            // Signing with a key made just now is right before a first ./switchboard up, and a silent surprise when the
            // stack the user means runs with another state directory: say which one this token is for.
            notes.println(newKeyNote(settings.stateDirectory()));
        }
        String token = auth.sign(request.subject(), request.tenant(), request.scopes(), request.ttl());
        notes.printf("a token for the local stack: subject %s, tenant %s, scopes %s, valid for %s%n",
                request.subject(), request.tenant(), String.join(" ", request.scopes()), Durations.describe(request.ttl()));
        return token;
    }

    /** Why a token signed with a key made just now may be refused: no stack had used this state directory yet. */
    private static String newKeyNote(Path stateDirectory) {
        return "note: no stack has used " + stateDirectory + " yet, so its signing key was made just now: a stack started "
                + "with this state directory accepts the token, a stack already running with another one "
                + "(SWITCHBOARD_STATE_DIR) does not";
    }

    static Request parse(List<String> args) {
        String subject = "local-admin";
        String tenant = "default";
        boolean tenantGiven = false;
        List<String> scopes = new ArrayList<>();
        Duration ttl = Duration.ofHours(12);
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(usage("unknown option or missing value: " + option));
            }
            String value = args.get(++i);
            // A token is a grant: of two tenants (or subjects, or lifetimes) neither is silently the one meant.
            if (!option.equals("--scope") && !given.add(option)) {
                throw new IllegalArgumentException(usage(option + " is given twice; give it once"));
            }
            switch (option) {
                case "--subject" -> subject = subject(value);
                case "--tenant" -> {
                    tenant = tenant(value);
                    tenantGiven = true;
                }
                case "--scope" -> {
                    // Left out, --scope means every scope; given empty, it must not mean the same.
                    // Nor given as separators only (",", ", "): that names no scope, and must not grant them all.
                    nonBlank(option, value);
                    List<String> named = Arrays.stream(value.split("[\\s,]+")).filter(scope -> !scope.isBlank()).toList();
                    if (named.isEmpty()) {
                        throw new IllegalArgumentException(usage("--scope names no scope: \"" + value + "\"; the scopes are "
                                + String.join(", ", LocalAuth.ALL_SCOPES)));
                    }
                    for (String scope : named) {
                        if (!scopes.contains(scope(scope))) {
                            scopes.add(scope); // a scope named twice is granted once
                        }
                    }
                }
                case "--ttl" -> ttl = ttl(value);
                default -> throw new IllegalArgumentException(usage("unknown option: " + option));
            }
        }
        return new Request(subject, tenant, scopes.isEmpty() ? defaultScopes(tenantGiven) : List.copyOf(scopes), ttl);
    }

    /**
     * Every scope for the stack's operator; for a token asked for a tenant, every scope but tenants:all, so that it
     * sees and steers that tenant's calls only (--scope tenants:all makes an operator of another tenant on purpose).
     */
    private static List<String> defaultScopes(boolean forATenant) {
        return forATenant ? LocalAuth.ALL_SCOPES.stream().filter(scope -> !scope.equals("tenants:all")).toList() : LocalAuth.ALL_SCOPES;
    }

    /**
     * A scope the services know. A misspelt one would be signed without complaint and only show up later, as every
     * request the token makes being refused for a missing scope.
     */
    private static String scope(String scope) {
        if (!LocalAuth.ALL_SCOPES.contains(scope)) {
            throw new IllegalArgumentException(usage("unknown scope \"" + scope + "\"; the scopes are " + String.join(", ", LocalAuth.ALL_SCOPES)));
        }
        return scope;
    }

    private static String tenant(String value) {
        if (!TENANT.matcher(value).matches()) {
            throw new IllegalArgumentException(usage("--tenant takes a tenant name (1 to 64 letters, digits, '.', '_', '-'), not \""
                    + value + "\""));
        }
        return value;
    }

    static Duration ttl(String value) {
        return lifetime(value, "--ttl");
    }

    /**
     * A token's lifetime as people write it (90s, 30m, 12h, 7d), at most a year; {@code name} is the option or variable
     * that gave it, for the message when it is not one.
     */
    public static Duration lifetime(String value, String name) {
        Matcher matcher = TTL.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(name + " takes a number and a unit (30m, 12h, 7d), not \"" + value + "\"");
        }
        Duration ttl;
        try {
            long amount = Long.parseLong(matcher.group(1));
            ttl = switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            // What the token's expiry and the message about it are computed from must not overflow either.
            ttl.toMillis();
            Instant.now().plus(ttl);
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            throw new IllegalArgumentException(name + " is too long to be a token's lifetime: \"" + value + "\"");
        }
        if (ttl.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0");
        }
        if (ttl.compareTo(LONGEST_TTL) > 0) {
            throw new IllegalArgumentException(name + " is at most " + LONGEST_TTL.toDays() + "d: a token that outlives that is a password, "
                    + "not a token (\"" + value + "\")");
        }
        return ttl;
    }

    /** Who the token names: shown in audit records, transcripts and the console, so one printable line of text. */
    private static String subject(String value) {
        nonBlank("--subject", value);
        if (value.length() > MAX_SUBJECT_LENGTH || value.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--subject takes up to " + MAX_SUBJECT_LENGTH
                    + " characters without line breaks or other control characters");
        }
        return value;
    }

    private static String nonBlank(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
        return value;
    }

    private static String usage(String problem) {
        return problem + "\nusage: ./switchboard token [--tenant T] [--scope S]... [--subject NAME] [--ttl 12h]";
    }
}
