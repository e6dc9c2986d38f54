package dev.switchboard.controller.webhook;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ids of the webhooks already handled, each kept until its event would be refused as stale anyway
 * ({@link WebhookFreshness#acceptedUntil}), so a repeat is recognised for exactly as long as it could be accepted.
 * Bounded: when full of unexpired ids, a new one is not remembered but refused ({@link Claim#FULL}), since forgetting
 * a live id early would let its webhook be replayed.
 */
@ApplicationScoped
public class SeenWebhooks {
    private static final int SWEEP_EVERY_CLAIMS = 256;

    public enum Claim {
        /** First time seen: the caller handles it. */
        NEW,
        /** Seen within its window: not handled again. */
        DUPLICATE,
        /** Too many ids remembered to take another: the caller answers 503 so LiveKit retries. */
        FULL
    }

    private final ConcurrentHashMap<String, Instant> forgetAt = new ConcurrentHashMap<>();
    private final AtomicInteger claims = new AtomicInteger();
    private final Clock clock;
    private final int maxIds;

    @Inject
    SeenWebhooks(WebhookSettings settings, Clock clock) {
        this(settings.maxRememberedIds(), clock);
    }

    SeenWebhooks(int maxIds, Clock clock) {
        checkMaxIds(maxIds);
        this.maxIds = maxIds;
        this.clock = clock;
    }

    /**
     * This bean is made by the first webhook; its setting is checked before any other start-up work instead, as the
     * token settings are ({@code AuthSettings}), with a {@link ConfigurationException}, which Quarkus prints as one line.
     */
    static void checkAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, WebhookSettings settings) {
        checkMaxIds(settings.maxRememberedIds());
    }

    private static void checkMaxIds(int maxIds) {
        if (maxIds < 1) {
            throw new ConfigurationException("switchboard.webhook.max-remembered-ids (SWITCHBOARD_WEBHOOK_MAX_REMEMBERED_IDS) must be"
                    + " positive, not " + maxIds);
        }
    }

    /** Remembers the id until {@code until} unless it is remembered already; atomic for concurrent retries. */
    public Claim claim(String id, Instant until) {
        Instant now = clock.instant();
        if (claims.incrementAndGet() % SWEEP_EVERY_CLAIMS == 0 || forgetAt.size() >= maxIds) {
            forgetAt.values().removeIf(expiry -> !now.isBefore(expiry));
        }
        Claim[] claim = {Claim.NEW};
        forgetAt.compute(id, (key, expiry) -> {
            if (expiry != null && now.isBefore(expiry)) {
                claim[0] = Claim.DUPLICATE;
                return expiry;
            }
            if (forgetAt.size() >= maxIds) { // an approximate bound under concurrency, which is all memory needs
                claim[0] = Claim.FULL;
                return null;
            }
            return until;
        });
        return claim[0];
    }

    /** Forgets a claimed id whose handling failed, so LiveKit's retry of it is handled. */
    public void release(String id) {
        forgetAt.remove(id);
    }

    /** How many ids are remembered, expired ones included until the next sweep. */
    public int size() {
        return forgetAt.size();
    }
}
