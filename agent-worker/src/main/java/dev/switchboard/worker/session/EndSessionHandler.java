package dev.switchboard.worker.session;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;

import java.util.concurrent.CompletableFuture;

/**
 * EndSession: the session stops taking turns and commands at once; the goodbye is queued behind what is being
 * said, uninterruptible, so it is heard in full before the call controller is asked to hang up; a turn still waiting
 * for the model is abandoned rather than waited for. Applied once the hang-up was requested.
 */
final class EndSessionHandler implements CommandHandler<EndSession> {

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, EndSession endSession, CommandTarget target) {
        if (!target.beginEnding()) {
            return Decision.notActive(target.state()).asFuture();
        }
        Issuer issuer = command.getIssuer();
        target.activity().abandonThinking();
        return target.activity().enqueue("end-session", false, () -> {
            if (target.expired(command)) {
                // What was being said outlasted the command: the sender has been told it expired, but the session
                // already stopped taking turns and commands, so it still hangs up, without a goodbye said late.
                target.hangUp(null, hangupReasonFor(issuer.getKind()), endSession.getReason(), issuer);
                return Decision.applied("hung up without the goodbye: the agent was still speaking when the command expired");
            }
            target.hangUp(endSession.getGoodbye(), hangupReasonFor(issuer.getKind()), endSession.getReason(), issuer);
            return Decision.applied();
        }).exceptionally(e -> Decision.failed("hang-up failed", e));
    }

    /** Why the call ended, as the one who ended it would put it. */
    static EndReason hangupReasonFor(IssuerKind kind) {
        return switch (kind) {
            case OPERATOR -> EndReason.OPERATOR_HANGUP;
            case LLM, AGENT -> EndReason.AGENT_HANGUP;
            case CALLER -> EndReason.CALLER_HANGUP;
            case POLICY -> EndReason.MAX_DURATION;
            default -> EndReason.SYSTEM_HANGUP;
        };
    }
}
