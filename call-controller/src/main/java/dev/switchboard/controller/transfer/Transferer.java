package dev.switchboard.controller.transfer;

import dev.switchboard.controller.dial.CallFailure;
import dev.switchboard.controller.dial.SipAttempt;
import dev.switchboard.controller.dial.SipOutcomes;
import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.LiveKitSip;
import dev.switchboard.events.TransferRequested;

import java.time.Duration;

/**
 * Transfers a SIP participant (TransferSIPParticipant: a SIP REFER). Repeated only while the request never reached
 * LiveKit's SIP bridge, as a dial is: once the REFER may have gone out, LiveKit's answer is the outcome.
 */
public final class Transferer {

    public sealed interface Result {
        /** The target took the call; the caller left the room. */
        record Transferred() implements Result {
        }

        /** The target or the network refused (a SIP status), or LiveKit did; the caller is still in the call. */
        record NotTransferred(CallFailure failure) implements Result {
        }
    }

    private final LiveKitSip sip;
    private final RetryingCaller retrying;
    private final Duration wait;

    public Transferer(LiveKitSip sip, RetryingCaller retrying, Duration wait) {
        this.sip = sip;
        this.retrying = retrying;
        this.wait = wait;
    }

    public Result transfer(String room, String identity, TransferRequested transfer) {
        var retried = retrying.retry("TransferSIPParticipant", room,
                () -> sip.transferSipParticipant(room, identity, transfer.getTransferTo(), transfer.getPlayDialtone(), wait),
                answer -> SipOutcomes.classify(answer) instanceof SipAttempt.NotPlaced notPlaced ? notPlaced.why() : null);
        ApiAnswer<Void> last = retried.last();
        if (last instanceof ApiAnswer.Ok<Void>) {
            return new Result.Transferred();
        }
        return switch (SipOutcomes.classify(last)) {
            case SipAttempt.NotPlaced notPlaced ->
                    new Result.NotTransferred(CallFailure.failed("LiveKit could not be asked: " + notPlaced.why() + " " + retried.giveUpNote()));
            case SipAttempt.Failed failed -> new Result.NotTransferred(failed.failure());
            case SipAttempt.Connected connected -> throw new IllegalStateException("only an answer transfers: " + last);
        };
    }
}
