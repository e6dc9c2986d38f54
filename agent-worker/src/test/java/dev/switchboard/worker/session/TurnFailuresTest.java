package dev.switchboard.worker.session;

import dev.switchboard.kit.concurrent.AsyncFailures;
import dev.switchboard.worker.llm.LlmException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class TurnFailuresTest {

    @Test
    void aTurnInterruptedOrEndedWithTheCallWasCutShort() {
        assertThat(TurnFailures.wasCutShort(new CompletionException(new CancellationException("turn was interrupted")))).isTrue();
        assertThat(TurnFailures.wasCutShort(new SessionNotActiveException("the session has ended"))).isTrue();
    }

    @Test
    void aTurnWhoseModelFailedFailed() {
        var failed = new CompletionException(new LlmException("the LLM answered HTTP 401: bad key", false));

        assertThat(TurnFailures.wasCutShort(failed)).isFalse();
        assertThat(AsyncFailures.cause(failed)).hasMessage("the LLM answered HTTP 401: bad key");
    }
}
