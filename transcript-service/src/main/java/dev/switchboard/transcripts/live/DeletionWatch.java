package dev.switchboard.transcripts.live;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.transcripts.store.DeletedSessions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells this instance's {@link LiveHub} about deletions made by other instances: every second it reads the tombstones
 * (the deleted sessions' ids, in the shared database) written since the last look. A deletion on this instance reaches
 * the hub at once through its event; this is how the others learn of it, within about a second.
 */
@ApplicationScoped
public class DeletionWatch {
    private static final Logger LOG = Logger.getLogger(DeletionWatch.class);
    static final Duration EVERY = Duration.ofSeconds(1);
    /** Read again on each look: a deletion's tombstone carries its transaction's start, which may commit later. */
    private static final Duration OVERLAP = Duration.ofMinutes(1);

    private final DeletedSessions tombstones;
    private final LiveHub hub;
    private ScheduledExecutorService timer;
    private Instant lastLook;
    private boolean failing;

    DeletionWatch(DeletedSessions tombstones, LiveHub hub) {
        this.tombstones = tombstones;
        this.hub = hub;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(ApplicationThreads.platformDaemon("transcript-deletion-watch"));
        timer.scheduleWithFixedDelay(this::look, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void look() {
        try {
            DeletedSessions.Since since = tombstones.since(lastLook, OVERLAP);
            since.tombstones().forEach(t -> hub.deleted(List.of(t.sessionId()), List.of(t.room())));
            lastLook = since.readAt();
            if (failing) {
                failing = false;
                LOG.info("deletions are read again from the database");
            }
        } catch (Exception e) {
            // The next look reads from the last good one (plus the overlap), so nothing is missed once it answers.
            if (!failing) {
                failing = true;
                LOG.warnf("deletions by other instances cannot be read (retrying every %s): %s", EVERY, e.getMessage());
            }
        }
    }
}
