package dev.switchboard.controller.control;

import dev.switchboard.controller.dial.DialService;
import dev.switchboard.controller.hangup.HangupResult;
import dev.switchboard.controller.hangup.HangupService;
import dev.switchboard.controller.outcome.ControlOutcome;
import dev.switchboard.controller.support.KeyedSerialExecutor;
import dev.switchboard.controller.tenancy.TenantFence;
import dev.switchboard.controller.tenancy.TenantRefusals;
import dev.switchboard.controller.transfer.TransferService;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.TransferRequested;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Hands each call-control request to its service on a virtual thread. Hang-ups and transfers of one room run one
 * after the other in arrival order (two must not race). A dial waits for a phone, up to its ringing timeout, so it
 * runs beside its room's queue: a hang-up of that room must be able to cancel the ringing. Its arrival is taken in the
 * room's queue all the same ({@link DialService#arrive}: the room's new call begins there), so a hang-up that follows
 * the dial on the topic is one of the dial's call however soon it is carried out, and stops it. Deliveries of one dial
 * still run one after the other, so a repeat finds the first one's outcome. Every request passes the {@link TenantFence}
 * first, in its turn: nothing is done to a room whose session belongs to another tenant than the request's.
 */
@ApplicationScoped
public class CallControlRouter {
    private final HangupService hangups;
    private final DialService dials;
    private final TransferService transfers;
    private final TenantFence fence;
    private final TenantRefusals refusals;
    private final KeyedSerialExecutor serial = new KeyedSerialExecutor();

    CallControlRouter(HangupService hangups, DialService dials, TransferService transfers, TenantFence fence, TenantRefusals refusals) {
        this.hangups = hangups;
        this.dials = dials;
        this.transfers = transfers;
        this.fence = fence;
        this.refusals = refusals;
    }

    public CompletableFuture<ControlOutcome> submit(CallControlRequest request) {
        return switch (request.getPayload()) {
            case HangupRequested hangup -> serial.submit("room:" + request.getRoom(), () -> fenced(request, () -> hangup(request, hangup)));
            case TransferRequested transfer -> serial.submit("room:" + request.getRoom(),
                    () -> fenced(request, () -> transfers.handle(request, transfer)));
            // A dial must not take over a room another tenant's session runs in either.
            case DialRequested dial -> dial(request, dial);
            default -> CompletableFuture.completedFuture(new ControlOutcome.Refused(
                    request.getPayload().getClass().getSimpleName() + " is not a request this controller carries out"));
        };
    }

    /**
     * The fence and the dial's arrival in the room's turn; the dialling, which may wait for a phone, beside the room's
     * queue. A dial the fence refused is never taken on, so it changes nothing of the room's call.
     */
    private CompletableFuture<ControlOutcome> dial(CallControlRequest request, DialRequested dial) {
        CompletableFuture<Callable<ControlOutcome>> arrived = serial.submit("room:" + request.getRoom(), () -> switch (fence.check(request)) {
            case TenantFence.Verdict.Allowed allowed -> {
                DialService.Arrival arrival = dials.arrive(request);
                yield () -> dials.handle(request, dial, arrival);
            }
            case TenantFence.Verdict.Refused refused -> {
                ControlOutcome outcome = refusals.refuse(request, refused);
                yield () -> outcome;
            }
            case TenantFence.Verdict.Deferred deferred -> () -> new ControlOutcome.Deferred(deferred.reason());
        });
        // Submitted from the room's turn, so the deliveries of one dial reach its queue in arrival order.
        return arrived.thenCompose(carryOut -> serial.submit("dial:" + request.getCommandId(), carryOut));
    }

    private ControlOutcome fenced(CallControlRequest request, Supplier<ControlOutcome> carryOut) {
        return switch (fence.check(request)) {
            case TenantFence.Verdict.Allowed allowed -> carryOut.get();
            case TenantFence.Verdict.Refused refused -> refusals.refuse(request, refused);
            case TenantFence.Verdict.Deferred deferred -> new ControlOutcome.Deferred(deferred.reason());
        };
    }

    private ControlOutcome hangup(CallControlRequest request, HangupRequested hangup) {
        return switch (hangups.handle(request, hangup)) {
            case HangupResult.Ended ended -> new ControlOutcome.Done("call ended");
            case HangupResult.Skipped skipped -> new ControlOutcome.Skipped(skipped.why());
            case HangupResult.Expired expired -> new ControlOutcome.Failed("EXPIRED: " + expired.reason());
            case HangupResult.Rejected rejected -> new ControlOutcome.Failed("REJECTED: " + rejected.reason());
            case HangupResult.Refused refused -> ControlOutcome.Refused.unfinished(refused.reason()); // LiveKit or Kafka failed
        };
    }

    @PreDestroy
    void stop() {
        serial.close();
    }
}
