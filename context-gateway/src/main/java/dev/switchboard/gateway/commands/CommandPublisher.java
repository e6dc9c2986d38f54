package dev.switchboard.gateway.commands;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionCommand;
import io.smallrye.mutiny.Uni;

/**
 * Where the gateway's records go (Kafka in the service). Each Uni completes when the broker acknowledged the record
 * and fails when it did not in time, so a request never hangs on an unreachable broker.
 */
public interface CommandPublisher {
    /**
     * A session command, to {@code commandTopic} (the worker's own topic its session announced) or, when that is null,
     * to the broadcast topic.
     */
    Uni<Void> publish(SessionCommand command, String commandTopic);

    Uni<Void> publish(CallControlRequest request);

    /** Only the watchdog's answers: UNKNOWN_SESSION and EXPIRED. */
    Uni<Void> publish(CommandResult result);

    /** Only the audit records of the watchdog's answers ({@code switchboard.audit}). */
    Uni<Void> publish(AuditRecord record);
}
