package dev.switchboard.worker.session;

import dev.switchboard.events.InstructionsMode;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.UpdateInstructions;

import java.util.concurrent.CompletableFuture;

/** UpdateInstructions: the instructions are replaced or extended for the next LLM request, and the change is recorded. */
final class UpdateInstructionsHandler implements CommandHandler<UpdateInstructions> {

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, UpdateInstructions update, CommandTarget target) {
        if (update.getInstructions().isBlank()) {
            return Decision.rejected("instructions must not be empty").asFuture();
        }
        boolean extend = update.getMode() == InstructionsMode.APPEND;
        if (extend) {
            target.chat().extendInstructions(update.getInstructions());
        } else {
            target.chat().replaceInstructions(update.getInstructions());
        }
        target.transcript().system("Instructions " + (extend ? "extended: " : "replaced: ") + update.getInstructions(),
                command.getIssuer(), command.getCommandId(), "instructions");
        return Decision.applied().asFuture();
    }
}
