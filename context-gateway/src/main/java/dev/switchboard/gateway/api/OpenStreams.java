package dev.switchboard.gateway.api;

import dev.switchboard.kit.http.SseStream;
import io.quarkus.runtime.ShutdownDelayInitiated;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live streams ({@code GET /v1/stream}) open now. Shutdown ends them as it starts, when readiness turns DOWN
 * ({@code quarkus.shutdown.delay-enabled}): an open stream is a request in flight, and the HTTP server would otherwise
 * wait for it until {@code quarkus.shutdown.timeout} ran out. From then on a new stream (a console reconnecting) is
 * refused, so that none holds the process again.
 */
@Singleton
public class OpenStreams {
    private static final Logger LOG = Logger.getLogger(OpenStreams.class);

    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** Whether shutdown has begun: no stream is opened any more. */
    public boolean closing() {
        return closing;
    }

    /** Registers an open stream; false (and nothing registered) once shutdown has begun. */
    boolean opened(SseStream stream) {
        if (closing) {
            return false;
        }
        open.add(stream);
        if (closing && open.remove(stream)) { // shutdown began in between: it may not have seen this one
            return false;
        }
        return true;
    }

    void closed(SseStream stream) {
        open.remove(stream);
    }

    int count() {
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
            LOG.infof("shutting down: ended %d open live streams", streams.size());
        }
    }
}
