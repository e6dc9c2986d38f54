package dev.switchboard.controller.dial;

import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.LiveKitSip;
import dev.switchboard.controller.livekit.SipParticipant;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Places one outbound call: the agent first (when one is named), then CreateSIPParticipant, waiting for the answer.
 * CreateSIPParticipant is repeated only while nothing reached the phone network ({@link SipAttempt.NotPlaced});
 * once the phone may have rung, whatever LiveKit answers is the outcome.
 */
public final class Dialer {

    public sealed interface Result {
        record Answered(SipParticipant participant) implements Result {
        }

        record Failed(CallFailure failure) implements Result {
        }
    }

    private final LiveKitSip sip;
    private final AgentDispatcher agents;
    private final RetryingCaller retrying;

    public Dialer(LiveKitSip sip, AgentDispatcher agents, RetryingCaller retrying) {
        this.sip = sip;
        this.agents = agents;
        this.retrying = retrying;
    }

    /** {@code hungUp} tells whether the room was hung up since the dial began: then the phone is not dialled. */
    public Result dial(DialPlan plan, BooleanSupplier hungUp) {
        if (plan.agentName().isPresent()) {
            Optional<String> problem = agents.dispatch(plan, plan.agentName().get());
            if (problem.isPresent()) {
                return new Result.Failed(CallFailure.failed("the agent could not be dispatched, nothing was dialled: " + problem.get()));
            }
        }
        if (hungUp.getAsBoolean()) {
            return new Result.Failed(CallFailure.cancelled("hung up before the phone was dialled"));
        }
        var retried = retrying.retry("CreateSIPParticipant", plan.room(), () -> sip.createSipParticipant(plan.call(), plan.answerWait()),
                answer -> SipOutcomes.classify(answer) instanceof SipAttempt.NotPlaced notPlaced ? notPlaced.why() : null);
        ApiAnswer<SipParticipant> last = retried.last();
        if (last instanceof ApiAnswer.Ok<SipParticipant> ok) {
            return new Result.Answered(ok.value());
        }
        return switch (SipOutcomes.classify(last)) {
            case SipAttempt.NotPlaced notPlaced ->
                    new Result.Failed(CallFailure.failed("LiveKit could not place the call: " + notPlaced.why() + " " + retried.giveUpNote()));
            case SipAttempt.Failed failed -> new Result.Failed(failed.failure());
            case SipAttempt.Connected connected -> throw new IllegalStateException("only an answer connects: " + last);
        };
    }
}
