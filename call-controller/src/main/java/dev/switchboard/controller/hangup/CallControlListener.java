package dev.switchboard.controller.hangup;

import dev.switchboard.controller.control.CallControlRouter;
import dev.switchboard.controller.control.ControlOutcome;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.Poison;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes switchboard.call-control (one shared group: each request is handled by one controller instance).
 * Each request is handed to the {@link CallControlRouter} and the next one taken at once: requests run in parallel
 * on virtual threads (one room's hang-ups and transfers in arrival order), so a hang-up being retried or a dial
 * waiting for a phone holds up nothing else. The record is acknowledged once its outcome is settled (Kafka commits
 * in offset order whatever the order of acknowledgements); refused requests and undecodable records go to
 * switchboard.call-control.dlq with the reason.
 */
@ApplicationScoped
public class CallControlListener {
    private static final Logger LOG = Logger.getLogger(CallControlListener.class);

    private final CallControlRouter router;
    private final DeadLetters deadLetters;

    CallControlListener(CallControlRouter router, DeadLetters deadLetters) {
        this.router = router;
        this.deadLetters = deadLetters;
    }

    @Incoming("call-control")
    public CompletionStage<Void> onRequest(Message<CallControlRequest> message) {
        Optional<CompletionStage<Void>> unusable = deadLetters.rejectIfUnusable(message);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        CallControlRequest request = message.getPayload();
        router.submit(request)
                .handle((outcome, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "room %s: request %s failed unexpectedly", request.getRoom(), request.getCommandId());
                        return deadLetters.reject(message, Poison.failed(error));
                    }
                    return switch (outcome) {
                        case ControlOutcome.Done done -> message.ack();
                        case ControlOutcome.Skipped skipped -> message.ack();
                        case ControlOutcome.Refused refused -> deadLetters.reject(message, Poison.invalid(new CallControlRefused(refused.reason())));
                    };
                })
                .thenCompose(settled -> settled);
        return CompletableFuture.completedFuture(null);
    }

    /** The reason a request was dead-lettered; its message becomes the record's dead-letter-reason header. */
    static final class CallControlRefused extends RuntimeException {
        CallControlRefused(String reason) {
            super(reason, null, false, false);
        }
    }
}
