package dev.switchboard.worker.session;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.worker.tools.ToolContext;

import java.util.Optional;

/** What the model's tools may do to its call: a narrow view of the session; the model is the issuer of all of it. */
final class SessionTools implements ToolContext {
    private final AgentSession session;

    SessionTools(AgentSession session) {
        this.session = session;
    }

    @Override
    public String room() {
        return session.room();
    }

    @Override
    public boolean onPhoneLine() {
        return session.transport().hasKeypad();
    }

    /** The model hangs up ({@code end_call}): the reason is the agent's. */
    @Override
    public boolean endCall(String reason, String goodbye) throws InterruptedException {
        if (!session.beginEnding()) {
            return false;
        }
        session.hangUp(goodbye, EndReason.AGENT_HANGUP, reason, model());
        return true;
    }

    /** The model transfers the caller ({@code transfer_call}): the session carries on until the controller ends it. */
    @Override
    public boolean transferCall(String target, String announcement) throws InterruptedException {
        if (session.state() != AgentSession.State.ACTIVE) {
            return false;
        }
        if (announcement != null && !announcement.isBlank()) {
            session.activity().say(announcement, false, true);
        }
        SessionCommand asked = new Commands(model()).session(room(), TransferCall.newBuilder().setTo(target).build());
        session.transfers().request(asked, (TransferCall) asked.getPayload());
        return true;
    }

    /** The model sends keypad tones ({@code send_dtmf}), e.g. to walk an IVR menu, during its turn. */
    @Override
    public String sendDtmf(String digits) throws InterruptedException {
        String tones = KeypadTones.normalize(digits);
        Optional<String> problem = KeypadTones.problem(tones);
        if (problem.isPresent()) {
            return "Not sent: " + problem.get() + ".";
        }
        if (!session.transport().hasKeypad()) {
            return "Not sent: this caller is not on a phone line, so there is no keypad to send tones to.";
        }
        if (session.state() != AgentSession.State.ACTIVE) {
            return "Not sent: the call is ending.";
        }
        session.sendTones(tones, model(), null);
        return "Sent the keypad tones " + KeypadTones.spaced(tones.replace("w", "")) + ".";
    }

    private Issuer model() {
        return new Issuer(IssuerKind.LLM, session.identity().workerId(), null, null);
    }
}
