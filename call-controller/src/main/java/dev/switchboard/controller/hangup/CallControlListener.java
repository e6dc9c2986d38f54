package dev.switchboard.controller.hangup;

import dev.switchboard.controller.support.KeyedSerialExecutor;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.Poison;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Consumes switchboard.call-control (one shared group: each request is handled by one controller instance).
 * Requests of one room are handled one after the other in arrival order, rooms in parallel on virtual threads, so a
 * hang-up being retried does not hold up the others. The record is acknowledged once the outcome is settled;
 * refused requests and undecodable records go to switchboard.call-control.dlq with the reason.
 */
@ApplicationScoped
public class CallControlListener {
    private static final Logger LOG = Logger.getLogger(CallControlListener.class);

    private final HangupService hangups;
    private final DeadLetters deadLetters;
    private final KeyedSerialExecutor perRoom = new KeyedSerialExecutor();

    CallControlListener(HangupService hangups, DeadLetters deadLetters) {
        this.hangups = hangups;
        this.deadLetters = deadLetters;
    }

    @Incoming("call-control")
    public CompletionStage<Void> onRequest(Message<CallControlRequest> message) {
        Optional<CompletionStage<Void>> unusable = deadLetters.rejectIfUnusable(message);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        CallControlRequest request = message.getPayload();
        return perRoom.submit(request.getRoom(), () -> hangups.handle(request))
                .handle((result, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "room %s: request %s failed unexpectedly", request.getRoom(), request.getCommandId());
                        return deadLetters.reject(message, Poison.failed(error));
                    }
                    return switch (result) {
                        case HangupResult.Ended ended -> message.ack();
                        case HangupResult.Skipped skipped -> message.ack();
                        case HangupResult.Refused refused -> deadLetters.reject(message, Poison.invalid(new CallControlRefused(refused.reason())));
                    };
                })
                .thenCompose(settled -> settled);
    }

    @PreDestroy
    void stop() {
        perRoom.close();
    }

    /** The reason a request was dead-lettered; its message becomes the record's dead-letter-reason header. */
    static final class CallControlRefused extends RuntimeException {
        CallControlRefused(String reason) {
            super(reason, null, false, false);
        }
    }
}
