package dev.switchboard.kit.auth;

import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many Server-Sent Event streams one caller may hold open at once on this instance (the gateway's live stream, the
 * transcript service's live tail): each holds a connection, a subscription and a timer for as long as it runs, so a
 * caller with a valid token could otherwise open them until the service runs out. The caller is whoever the token
 * names (tenant and subject), never an address.
 *
 * <p>In {@code auth}, with the {@link Caller} it counts, although it guards streams: the HTTP edge ({@code kit.http})
 * knows nothing of callers (its {@code SseStream} takes a token's expiry, not the token), and auth's filter uses the
 * edge's route names, so the edge must not depend on auth in turn. Its setting keeps its name,
 * {@code switchboard.http.max-streams-per-caller}.
 */
@ApplicationScoped
public class StreamQuota {
    public static final ProblemType TOO_MANY_STREAMS = ProblemType.named("too-many-streams", "Too many open streams", 429);

    /** A place taken by one stream; giving it back more than once is harmless. */
    @FunctionalInterface
    public interface Place {
        void giveBack();
    }

    private static final String SETTING = "switchboard.http.max-streams-per-caller";

    private final int maxPerCaller;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    StreamQuota(@ConfigProperty(name = SETTING, defaultValue = "20") int maxPerCaller) {
        checkMaxPerCaller(maxPerCaller);
        this.maxPerCaller = maxPerCaller;
    }

    /**
     * This bean is made by the first stream; its setting is checked before any other start-up work instead, as the
     * token settings are ({@link AuthSettings}), with a {@link ConfigurationException}, which Quarkus prints as one line.
     */
    static void checkAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started,
                             @ConfigProperty(name = SETTING, defaultValue = "20") int maxPerCaller) {
        checkMaxPerCaller(maxPerCaller);
    }

    private static void checkMaxPerCaller(int maxPerCaller) {
        if (maxPerCaller < 1) {
            throw new ConfigurationException(SETTING + " (SWITCHBOARD_HTTP_MAX_STREAMS_PER_CALLER) must be at least 1, not " + maxPerCaller);
        }
    }

    /**
     * Takes a place for one more stream of the caller, or refuses with a 429 problem.
     *
     * @param freedWithinSeconds how soon a stream a client dropped gives its place back (its keep-alive interval: a
     *                           dropped connection is noticed at the next write), for Retry-After
     */
    public Place take(Caller caller, long freedWithinSeconds) {
        String key = key(caller);
        boolean[] taken = {false};
        open.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerCaller) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            // The limit is the caller's (subject and tenant), not one token's: a fresh token of the same subject shares it.
            throw new ProblemException(TOO_MANY_STREAMS, "'" + caller.id() + "' of tenant " + caller.tenant() + " already holds "
                    + maxPerCaller + " open streams here, the most one caller may, whichever of its tokens opened them; close one"
                    + " (a dropped connection frees its place within " + freedWithinSeconds + " s)")
                    .header("Retry-After", Long.toString(Math.max(1, freedWithinSeconds)));
        }
        AtomicBoolean givenBack = new AtomicBoolean();
        return () -> {
            if (givenBack.compareAndSet(false, true)) {
                open.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
            }
        };
    }

    /** The streams the caller holds open now. */
    public int openBy(Caller caller) {
        return open.getOrDefault(key(caller), 0);
    }

    /** Whose streams these are: the token's tenant and subject, so every token of one caller counts together. */
    private static String key(Caller caller) {
        return caller.tenant() + '\u0000' + caller.id();
    }
}
