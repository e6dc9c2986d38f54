package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Publishes the gateway's records keyed by room. Each Uni completes when the broker acknowledged the record
 * (acks=all), or fails after the publish timeout, so a request never hangs on an unreachable broker.
 */
@ApplicationScoped
public class KafkaPublisher {
    private final MutinyEmitter<Record<String, SessionCommand>> sessionCommands;
    private final MutinyEmitter<Record<String, CallControlRequest>> callControl;
    private final MutinyEmitter<Record<String, CommandResult>> commandResults;
    private final Duration timeout;

    KafkaPublisher(@Channel("session-commands-out") MutinyEmitter<Record<String, SessionCommand>> sessionCommands,
                   @Channel("call-control-out") MutinyEmitter<Record<String, CallControlRequest>> callControl,
                   @Channel("command-results-out") MutinyEmitter<Record<String, CommandResult>> commandResults,
                   GatewayConfig config) {
        this.sessionCommands = sessionCommands;
        this.callControl = callControl;
        this.commandResults = commandResults;
        this.timeout = config.commands().publishTimeout();
    }

    public Uni<Void> publish(SessionCommand command) {
        return send(sessionCommands, command.getRoom(), command);
    }

    public Uni<Void> publish(CallControlRequest request) {
        return send(callControl, request.getRoom(), request);
    }

    public Uni<Void> publish(CommandResult result) {
        return send(commandResults, result.getRoom(), result);
    }

    private <T> Uni<Void> send(MutinyEmitter<Record<String, T>> emitter, String room, T value) {
        return emitter.send(Record.of(room, value))
                .ifNoItem().after(timeout)
                .failWith(() -> new TimeoutException("Kafka did not acknowledge the record within " + timeout));
    }
}
