package dev.switchboard.worker.session;

import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.SessionCommand;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * SendDtmf: the agent sends keypad tones to the caller's phone line (an IVR menu on an outbound call), after what it
 * is saying now. Applied once the last tone went out; rejected when the digits are not tones or the caller is not on
 * a phone line (a web caller has no keypad).
 */
final class SendDtmfHandler implements CommandHandler<SendDtmf> {

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, SendDtmf send, CommandTarget target) {
        String digits = KeypadTones.normalize(send.getDigits());
        Optional<String> problem = KeypadTones.problem(digits);
        if (problem.isPresent()) {
            return Decision.rejected(problem.get()).asFuture();
        }
        if (!target.hasKeypad()) {
            return Decision.rejected("the caller in room " + target.room() + " is not on a phone line; keypad tones need a SIP caller").asFuture();
        }
        return target.activity().enqueueUntil("dtmf", false, command.getExpiresAt(), () -> {
            target.sendTones(digits, command.getIssuer(), command.getCommandId());
            return Decision.applied();
        }, () -> Decision.expiredWhileQueued(command.getExpiresAt())).exceptionally(e -> Decision.failed("tones not sent", e));
    }
}
