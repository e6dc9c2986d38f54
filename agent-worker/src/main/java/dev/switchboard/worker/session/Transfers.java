package dev.switchboard.worker.session;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.worker.llm.ChatMessage;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cold transfers one session asks the call controller for, and what their answers do: a transfer that went
 * through ends the session by the controller's CallEnded (TRANSFERRED); a refusal is told to the model.
 */
final class Transfers {
    private static final Logger LOG = Logger.getLogger(Transfers.class);
    private static final Issuer CONTROLLER = new Issuer(IssuerKind.SYSTEM, "call-controller", null, null);

    private final AgentSession.Identity identity;
    private final SessionPublisher publisher;
    private final SessionClock clock;
    private final AgentSettings settings;
    /** A refusal is told to the model: all a transfer's answer may do to the session. */
    private final ModelNotices model;
    /** Asked for and not answered yet (usually none or one). */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    Transfers(AgentSession.Identity identity, SessionPublisher publisher, SessionClock clock, AgentSettings settings, ModelNotices model) {
        this.identity = identity;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
        this.model = model;
    }

    /**
     * Asks the call controller to transfer the phone caller (SIP REFER), under the command's own id: the controller's
     * CommandResult for it says whether the target took the call. Blocks until Kafka has the request, or until the
     * waiting thread is interrupted (the caller hung up, or talked over the agent): the request is then with the
     * producer and its answer still comes, so the transfer counts as asked for, and the interrupt is kept for the
     * turn to see.
     */
    void request(SessionCommand command, TransferCall transfer) {
        Duration ttl = Duration.between(clock.now(), command.getExpiresAt()).plus(settings.hangupConfirmationTimeout());
        CallControlRequest request = new Commands(command.getIssuer()).callControl(command.getCommandId(), identity.room(),
                TransferRequested.newBuilder()
                        .setTransferTo(transfer.getTo())
                        .setPlayDialtone(transfer.getPlayDialtone())
                        .setSessionId(identity.sessionId())
                        .build(), ttl, identity.tenant());
        pending.add(command.getCommandId());
        try {
            Acknowledgements.awaitInterruptibly(publisher.callControl(request), settings.flushTimeout(), "the transfer request");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.infof("room %s: transfer to %s requested (command %s); its acknowledgement was not awaited, the turn was interrupted",
                    identity.room(), transfer.getTo(), command.getCommandId());
            return;
        } catch (RuntimeException e) {
            pending.remove(command.getCommandId());
            throw e;
        }
        LOG.infof("room %s: transfer to %s requested (command %s)", identity.room(), transfer.getTo(), command.getCommandId());
    }

    boolean awaiting() {
        return !pending.isEmpty();
    }

    /**
     * The controller's answer to a transfer asked for here. A refusal (the target busy, no answer, the trunk failing)
     * leaves the caller with the agent: the model is told, so it says so and carries on instead of falling silent
     * after its announcement.
     */
    void answered(CommandResult result) {
        if (!pending.remove(result.getCommandId()) || result.getStatus() == CommandStatus.APPLIED) {
            return;
        }
        String why = result.getReason() == null ? result.getStatus().name() : result.getReason();
        if (!model.tell("transfer failed: " + why, CONTROLLER, result.getCommandId(), "transfer",
                new ChatMessage.System("The transfer of the caller did not go through (" + why + "). The caller is still on the"
                        + " line with you: tell them briefly and keep helping them."), false)) {
            return;
        }
        LOG.infof("room %s: transfer %s not done (%s); the agent carries on", identity.room(), result.getCommandId(), why);
        model.answerNow("transfer-refused", "the failed transfer");
    }
}
