package dev.switchboard.worker.session;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;

import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * TransferCall: the agent says the announcement (if any) in full, after what it is saying now, then hands the
 * transfer to the call controller under the command's own id. The controller's CommandResult answers the command
 * (APPLIED once the target took the call, which also ends the session with TRANSFERRED; REJECTED with the SIP status
 * when it refused, and the agent carries on with the caller), so the worker publishes none. Rejected at once when the
 * caller is not on a phone line (a web caller cannot be transferred), before any announcement.
 */
final class TransferCallHandler implements CommandHandler<TransferCall> {
    private static final Pattern TARGET = Pattern.compile("tel:\\+[1-9][0-9]{1,14}|sips?:\\S{1,250}");

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, TransferCall transfer, CommandTarget target) {
        String to = transfer.getTo() == null ? "" : transfer.getTo().strip();
        if (!TARGET.matcher(to).matches()) {
            return Decision.rejected("to must be tel: and an E.164 number (tel:+15551234567) or a sip: URI, not '" + to + "'").asFuture();
        }
        String announcement = transfer.getAnnouncement();
        if (announcement != null && !announcement.isBlank() && announcement.length() > target.maxTextLength()) {
            return Decision.rejected("announcement is " + announcement.length() + " characters; the limit is "
                    + target.maxTextLength()).asFuture();
        }
        if (!target.hasKeypad()) {
            // Refused before anything is said: announcing a transfer that cannot happen would mislead the caller.
            return Decision.rejected("the caller in room " + target.room() + " is not on a phone line; a transfer needs a SIP caller")
                    .asFuture();
        }
        AgentActivity activity = target.activity();
        return activity.enqueueUntil("transfer", false, command.getExpiresAt(), () -> {
            if (announcement != null && !announcement.isBlank()) {
                activity.say(announcement, false, true);
            }
            target.transfers().request(command, TransferCall.newBuilder().setTo(to).setPlayDialtone(transfer.getPlayDialtone()).build());
            return Decision.answeredElsewhere("handed to the call controller");
        }, () -> Decision.expiredWhileQueued(command.getExpiresAt())).exceptionally(e -> Decision.failed("not transferred", e));
    }
}
