package dev.switchboard.controller.control;

import dev.switchboard.controller.dial.DialService;
import dev.switchboard.controller.hangup.HangupResult;
import dev.switchboard.controller.hangup.HangupService;
import dev.switchboard.controller.support.KeyedSerialExecutor;
import dev.switchboard.controller.transfer.TransferService;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.TransferRequested;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;

/**
 * Hands each call-control request to its service on a virtual thread. Hang-ups and transfers of one room run one
 * after the other in arrival order (two must not race). A dial waits for a phone, up to its ringing timeout, so it
 * runs beside its room's queue: a hang-up of that room must be able to cancel the ringing. Deliveries of one dial
 * still run one after the other, so a repeat finds the first one's outcome.
 */
@ApplicationScoped
public class CallControlRouter {
    private final HangupService hangups;
    private final DialService dials;
    private final TransferService transfers;
    private final KeyedSerialExecutor serial = new KeyedSerialExecutor();

    CallControlRouter(HangupService hangups, DialService dials, TransferService transfers) {
        this.hangups = hangups;
        this.dials = dials;
        this.transfers = transfers;
    }

    public CompletableFuture<ControlOutcome> submit(CallControlRequest request) {
        return switch (request.getPayload()) {
            case HangupRequested hangup -> serial.submit("room:" + request.getRoom(), () -> hangup(request, hangup));
            case TransferRequested transfer -> serial.submit("room:" + request.getRoom(), () -> transfers.handle(request, transfer));
            case DialRequested dial -> serial.submit("dial:" + request.getCommandId(), () -> dials.handle(request, dial));
            default -> CompletableFuture.completedFuture(new ControlOutcome.Refused(
                    request.getPayload().getClass().getSimpleName() + " is not a request this controller carries out"));
        };
    }

    private ControlOutcome hangup(CallControlRequest request, HangupRequested hangup) {
        return switch (hangups.handle(request, hangup)) {
            case HangupResult.Ended ended -> new ControlOutcome.Done("call ended");
            case HangupResult.Skipped skipped -> new ControlOutcome.Skipped(skipped.why());
            case HangupResult.Refused refused -> new ControlOutcome.Refused(refused.reason());
        };
    }

    @PreDestroy
    void stop() {
        serial.close();
    }
}
