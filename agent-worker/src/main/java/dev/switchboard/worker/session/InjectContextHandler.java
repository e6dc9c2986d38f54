package dev.switchboard.worker.session;

import dev.switchboard.events.ContextRole;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.kit.concurrent.AsyncFailures;
import dev.switchboard.worker.llm.ChatMessage;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * InjectContext: the message joins the chat context at once (the next LLM request sees it), is recorded in the
 * transcript with who sent it, and, when asked to respond, the agent answers now instead of waiting for the caller.
 */
final class InjectContextHandler implements CommandHandler<InjectContext> {
    private static final Logger LOG = Logger.getLogger(InjectContextHandler.class);

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, InjectContext inject, CommandTarget target) {
        Optional<Decision> invalid = CommandHandler.checkText(inject.getText(), target.maxTextLength());
        if (invalid.isPresent()) {
            return invalid.get().asFuture();
        }
        ChatMessage message = switch (inject.getRole()) {
            case SYSTEM -> new ChatMessage.System(inject.getText());
            case USER -> new ChatMessage.User(inject.getText());
            default -> null;
        };
        if (message == null) {
            return Decision.rejected("unsupported role " + inject.getRole() + "; use SYSTEM or USER").asFuture();
        }
        target.chat().add(message);
        target.transcript().injected(inject.getText(), command.getIssuer(), command.getCommandId(), labelOf(inject));
        if (inject.getRespond()) {
            target.activity().reply("respond").exceptionally(e -> {
                if (TurnFailures.wasCutShort(e)) {
                    LOG.debugf("room %s: the reply to injected context was cut short: %s", target.room(), AsyncFailures.cause(e).getMessage());
                } else {
                    LOG.warnf("room %s: the reply to injected context failed: %s", target.room(), AsyncFailures.cause(e).getMessage());
                }
                return null;
            });
        }
        return Decision.applied().asFuture();
    }

    private static String labelOf(InjectContext inject) {
        return inject.getLabel() != null ? inject.getLabel() : inject.getRole() == ContextRole.USER ? "user" : "system";
    }
}
