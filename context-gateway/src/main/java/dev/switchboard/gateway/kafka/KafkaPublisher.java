package dev.switchboard.gateway.kafka;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.gateway.commands.CommandPublisher;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.schemas.audit.AuditRecords;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the gateway's records to Kafka, keyed by room (audit records by room or tenant), each bounded by the publish
 * timeout. Session commands go to the worker's own topic when the session announced one (directed delivery).
 */
@ApplicationScoped
public class KafkaPublisher implements CommandPublisher {
    private final KafkaSender<SessionCommand> sessionCommands;
    private final KafkaSender<CallControlRequest> callControl;
    private final KafkaSender<CommandResult> commandResults;
    private final KafkaSender<AuditRecord> audit;

    KafkaPublisher(@Channel("session-commands-out") MutinyEmitter<Record<String, SessionCommand>> sessionCommands,
                   @Channel("call-control-out") MutinyEmitter<Record<String, CallControlRequest>> callControl,
                   @Channel("command-results-out") MutinyEmitter<Record<String, CommandResult>> commandResults,
                   @Channel("audit-out") MutinyEmitter<Record<String, AuditRecord>> audit,
                   KafkaSenders senders) {
        this.sessionCommands = senders.of(sessionCommands, "session command");
        this.callControl = senders.of(callControl, "call-control request");
        this.commandResults = senders.of(commandResults, "command result");
        this.audit = senders.of(audit, "audit record");
    }

    @Override
    public Uni<Void> publish(SessionCommand command, String commandTopic) {
        return commandTopic == null ? sessionCommands.send(command.getRoom(), command)
                : sessionCommands.send(commandTopic, command.getRoom(), command);
    }

    @Override
    public Uni<Void> publish(CallControlRequest request) {
        return callControl.send(request.getRoom(), request);
    }

    @Override
    public Uni<Void> publish(CommandResult result) {
        return commandResults.send(result.getRoom(), result);
    }

    @Override
    public Uni<Void> publish(AuditRecord record) {
        return audit.send(AuditRecords.key(record), record);
    }
}
