package dev.switchboard.kit.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncFailuresTest {

    @Test
    void aFailureWrappedByADependentFutureIsUnwrapped() {
        var timeout = new TimeoutException("not acknowledged within 5s");

        assertThat(AsyncFailures.cause(new CompletionException(timeout))).isSameAs(timeout);
    }

    @Test
    void aFailureNotWrappedOrWrappingNothingIsItself() {
        var refused = new IllegalStateException("refused");
        var empty = new CompletionException("no cause", null);

        assertThat(AsyncFailures.cause(refused)).isSameAs(refused);
        assertThat(AsyncFailures.cause(empty)).isSameAs(empty);
    }
}
