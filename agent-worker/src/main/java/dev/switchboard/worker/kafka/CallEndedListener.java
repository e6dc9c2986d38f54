package dev.switchboard.worker.kafka;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.worker.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Ends a session when the call controller reports its call ended (it hung up, or saw LiveKit close the room).
 * For a simulated call this is how a hang-up reaches the session; for a LiveKit call the room disconnect
 * usually arrives first, and this is then a no-op.
 */
@ApplicationScoped
public class CallEndedListener {
    private final SessionRegistry sessions;
    private final DeadLetters deadLetters;

    CallEndedListener(SessionRegistry sessions, DeadLetters deadLetters) {
        this.sessions = sessions;
        this.deadLetters = deadLetters;
    }

    @Incoming("session-events-in")
    public CompletionStage<Void> onEvent(Message<SessionEvent> message) {
        return deadLetters.consume(message, event -> {
            if (event.getPayload() instanceof CallEnded ended) {
                sessions.find(event.getRoom())
                        .filter(session -> event.getSessionId() == null || event.getSessionId().equals(session.sessionId()))
                        .ifPresent(session -> session.callEnded(ended.getReason(), ended.getEndedBy(), ended.getDetail()));
            }
        });
    }
}
