package dev.switchboard.worker.session;

import dev.switchboard.events.SessionCommand;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What one type of command does to a running session. The {@link CommandApplier} has already made sure the
 * command is new, not expired and meant for an active session; the handler checks its payload, applies it and
 * decides (at once, or when the work is done: a Say is applied once it was said). It sees the session only as a
 * {@link CommandTarget}. A new command type is a new handler and one case in {@link CommandApplier}.
 *
 * @param <T> the command's payload type (an Avro record of the schemas module)
 */
interface CommandHandler<T> {

    CompletableFuture<Decision> apply(SessionCommand command, T payload, CommandTarget target);

    /** A text a command carries must say something and fit the session's limit. */
    static Optional<Decision> checkText(String text, int maxLength) {
        if (text == null || text.isBlank()) {
            return Optional.of(Decision.rejected("text must not be empty"));
        }
        if (text.length() > maxLength) {
            return Optional.of(Decision.rejected("text is " + text.length() + " characters; the limit is " + maxLength));
        }
        return Optional.empty();
    }
}
