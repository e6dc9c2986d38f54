package dev.switchboard.worker.kafka;

import dev.switchboard.events.CommandResult;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The call controller answers a transfer (it carries it out), not the worker; but when the target refused it (busy,
 * no answer) the caller is still on the line with the agent, which must know, or it would fall silent after its
 * "connecting you now". So the worker reads the command results and hands a session the answer to a transfer it
 * asked for; every other result is dropped at once. Poison is dead-lettered like on every other topic.
 */
@ApplicationScoped
public class TransferOutcomeListener {
    private final SessionRegistry sessions;
    private final DeadLetters deadLetters;

    TransferOutcomeListener(SessionRegistry sessions, DeadLetters deadLetters) {
        this.sessions = sessions;
        this.deadLetters = deadLetters;
    }

    @Incoming("transfer-outcomes")
    public CompletionStage<Void> onResult(Message<CommandResult> message) {
        return deadLetters.consume(message, result -> sessions.find(result.getRoom())
                .filter(AgentSession::awaitsTransfer)
                .ifPresent(session -> session.transferAnswered(result)));
    }
}
