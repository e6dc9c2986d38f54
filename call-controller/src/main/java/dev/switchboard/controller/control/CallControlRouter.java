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

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Hands each call-control request to its service on a virtual thread. Hang-ups and transfers of one room run one
 * after the other in arrival order (two must not race). A dial waits for a phone, up to its ringing timeout, so it
 * runs beside its room's queue: a hang-up of that room must be able to cancel the ringing. Deliveries of one dial
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
            case DialRequested dial -> serial.submit("dial:" + request.getCommandId(), () -> fenced(request, () -> dials.handle(request, dial)));
            default -> CompletableFuture.completedFuture(new ControlOutcome.Refused(
                    request.getPayload().getClass().getSimpleName() + " is not a request this controller carries out"));
        };
    }

    private ControlOutcome fenced(CallControlRequest request, Supplier<ControlOutcome> carryOut) {
        return switch (fence.check(request)) {
            case TenantFence.Verdict.Allowed allowed -> carryOut.get();
            case TenantFence.Verdict.Refused refused -> refusals.refuse(request, refused);
        };
    }

    private ControlOutcome hangup(CallControlRequest request, HangupRequested hangup) {
        return switch (hangups.handle(request, hangup)) {
            case HangupResult.Ended ended -> new ControlOutcome.Done("call ended");
            case HangupResult.Skipped skipped -> new ControlOutcome.Skipped(skipped.why());
            case HangupResult.Expired expired -> new ControlOutcome.Failed("EXPIRED: " + expired.reason());
            case HangupResult.Refused refused -> new ControlOutcome.Refused(refused.reason());
        };
    }

    @PreDestroy
    void stop() {
        serial.close();
    }
}
