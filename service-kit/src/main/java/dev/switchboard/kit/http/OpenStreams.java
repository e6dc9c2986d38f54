package dev.switchboard.kit.http;

import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import io.quarkus.runtime.ShutdownDelayInitiated;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-sent-event streams this instance has open (the gateway's live stream, the transcript service's live
 * transcripts). Shutdown ends them as it starts, when readiness turns DOWN ({@code quarkus.shutdown.delay-enabled}): an
 * open stream is a request in flight, and the HTTP server would otherwise wait for it until
 * {@code quarkus.shutdown.timeout} ran out. From then on a new stream (a console reconnecting) is refused with 503
 * {@code shutting-down}, so that none holds the process again and the client goes to another instance.
 */
@Singleton
public class OpenStreams {
    public static final ProblemType SHUTTING_DOWN = ProblemType.named("shutting-down", "Shutting down", 503);
    private static final Logger LOG = Logger.getLogger(OpenStreams.class);

    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** Whether shutdown has begun: no stream is opened any more. */
    public boolean closing() {
        return closing;
    }

    /** Refuses a new stream once shutdown has begun, before anything is reserved for it. */
    public void refuseWhileClosing() {
        if (closing) {
            throw new ProblemException(SHUTTING_DOWN, "this instance is shutting down; reconnect (to another instance)");
        }
    }

    /** Registers an open stream; false (and nothing registered) once shutdown has begun. */
    public boolean opened(SseStream stream) {
        if (closing) {
            return false;
        }
        open.add(stream);
        if (closing && open.remove(stream)) { // shutdown began in between: it may not have seen this one
            return false;
        }
        return true;
    }

    /** A stream ended (its client went away, its session ended, it was closed here). */
    public void closed(SseStream stream) {
        open.remove(stream);
    }

    public int count() {
        return open.size();
    }

    /** Shutdown begins: every open stream ends (its client reconnects, to another instance). */
    @ShutdownDelayInitiated
    void closeAll() {
        closing = true;
        List<SseStream> streams = List.copyOf(open);
        streams.forEach(SseStream::close);
        open.removeAll(streams);
        if (!streams.isEmpty()) {
            LOG.infof("shutting down: ended %d open streams", streams.size());
        }
    }
}
