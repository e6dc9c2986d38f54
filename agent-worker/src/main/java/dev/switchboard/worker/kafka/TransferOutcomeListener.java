package dev.switchboard.worker.kafka;

import dev.switchboard.events.CommandResult;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The call controller answers a transfer (it carries it out), not the worker; but when the target refused it (busy,
 * no answer) the caller is still on the line with the agent, which must know, or it would fall silent after its
 * "connecting you now". So the worker reads the command results and hands a session the answer to a transfer it
 * asked for. Results are keyed by room: only those of rooms with a transfer under way here are decoded at all, and an
 * undecodable one is left to the gateway, which dead-letters it.
 */
@ApplicationScoped
public class TransferOutcomeListener {
    private static final Logger LOG = Logger.getLogger(TransferOutcomeListener.class);

    private final SessionRegistry sessions;
    private final CommandResultDeserializer results = new CommandResultDeserializer();

    TransferOutcomeListener(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Incoming("transfer-outcomes")
    public void onResult(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        Optional<AgentSession> session = sessions.find(record.key()).filter(AgentSession::awaitsTransfer);
        if (session.isEmpty()) {
            return;
        }
        CommandResult result;
        try {
            result = results.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.debugf("room %s: an undecodable command result at %d, left to the gateway: %s", record.key(), record.offset(), e.getMessage());
            return;
        }
        session.get().transferAnswered(result);
    }
}
