package dev.switchboard.controller.dial;

import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.AgentDispatchInfo;
import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.LiveKitDispatch;

import java.util.List;
import java.util.Optional;

/**
 * Sends the agent to the room before the phone rings (CreateDispatch), so that it is there when the callee answers.
 * Transient failures are retried; a request that went unanswered is only repeated once ListDispatch shows it did
 * not take effect, since two dispatches would send two agents.
 */
public final class AgentDispatcher {

    private sealed interface Step {
        record Dispatched() implements Step {
        }

        record Retry(String why) implements Step {
        }

        record Fail(String why) implements Step {
        }
    }

    private final LiveKitDispatch dispatch;
    private final RetryingCaller retrying;

    public AgentDispatcher(LiveKitDispatch dispatch, RetryingCaller retrying) {
        this.dispatch = dispatch;
        this.retrying = retrying;
    }

    /** Empty when the agent is dispatched; else why it could not be. */
    public Optional<String> dispatch(DialPlan plan, String agentName) {
        var retried = retrying.retry("CreateDispatch", plan.room(), () -> attempt(plan, agentName),
                step -> step instanceof Step.Retry retry ? retry.why() : null);
        return switch (retried.last()) {
            case Step.Dispatched dispatched -> Optional.empty();
            case Step.Retry retry -> Optional.of("CreateDispatch kept failing: " + retry.why() + " " + retried.giveUpNote());
            case Step.Fail fail -> Optional.of(fail.why());
        };
    }

    private Step attempt(DialPlan plan, String agentName) {
        ApiAnswer<String> answer = dispatch.createDispatch(plan.room(), agentName, plan.dispatchMetadata());
        return switch (answer) {
            case ApiAnswer.Ok<String> ok -> new Step.Dispatched();
            case ApiAnswer.NotSent<String> notSent -> new Step.Retry(notSent.message());
            case ApiAnswer.Refused<String> refused -> refused.error().httpStatus() >= 500 || refused.error().httpStatus() == 429
                    ? new Step.Retry(refused.error().describe())
                    : new Step.Fail("CreateDispatch refused: " + refused.error().describe());
            case ApiAnswer.SdkFailure<String> failure -> new Step.Fail(failure.message());
            case ApiAnswer.NoAnswer<String> noAnswer -> afterNoAnswer(plan, noAnswer.message());
        };
    }

    private Step afterNoAnswer(DialPlan plan, String why) {
        ApiAnswer<List<AgentDispatchInfo>> listed = dispatch.listDispatches(plan.room());
        if (listed instanceof ApiAnswer.Ok<List<AgentDispatchInfo>> ok) {
            boolean ours = ok.value().stream().anyMatch(d -> plan.commandId().equals(DispatchMetadata.dialCommandId(d.metadata())));
            return ours ? new Step.Dispatched() : new Step.Retry(why);
        }
        if (listed instanceof ApiAnswer.Refused<List<AgentDispatchInfo>> refused && refused.error().httpStatus() == 404) {
            return new Step.Retry(why); // the room does not exist, so neither does the dispatch
        }
        return new Step.Fail("CreateDispatch went unanswered (" + why + ") and ListDispatch could not tell whether it took effect: "
                + listed.describe());
    }
}
