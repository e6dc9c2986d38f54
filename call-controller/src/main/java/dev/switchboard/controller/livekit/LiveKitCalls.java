package dev.switchboard.controller.livekit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import okhttp3.Request;
import retrofit2.Call;
import retrofit2.Response;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Carries out the SDK's Retrofit calls: one attempt each, never throwing, with the answer told apart as
 * {@link ApiAnswer} (answered, refused, not sent, sent without answer), its latency on
 * {@code switchboard.controller.livekit.calls} and the latest outcome kept for the health report.
 */
public final class LiveKitCalls {

    /** The outcome of the most recent call, for the health report. */
    public record LastCall(String operation, String result, Instant at, String message) {
    }

    private final SentRequests sent;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final AtomicReference<LastCall> lastCall = new AtomicReference<>();

    LiveKitCalls(SentRequests sent, MeterRegistry metrics, Clock clock) {
        this.sent = sent;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One attempt; {@code timeout} (when not null) replaces the client's call timeout for this call. */
    public <T> ApiAnswer<T> execute(String operation, Supplier<Call<T>> request, Duration timeout) {
        Timer.Sample sample = Timer.start(metrics);
        ApiAnswer<T> answer = attempt(request, timeout);
        String code = answer instanceof ApiAnswer.Refused<T> refused && refused.error().code() != null ? refused.error().code() : "none";
        String result = switch (answer) {
            case ApiAnswer.Ok<T> ok -> "done";
            case ApiAnswer.Refused<T> refused -> "error";
            case ApiAnswer.NotSent<T> notSent -> "not_sent";
            case ApiAnswer.NoAnswer<T> noAnswer -> "no_answer";
            case ApiAnswer.SdkFailure<T> failure -> "sdk_failure";
        };
        sample.stop(Timer.builder("switchboard.controller.livekit.calls")
                .description("LiveKit server API calls: latency by operation, result and Twirp error code")
                .tag("operation", operation)
                .tag("result", result)
                .tag("code", code)
                .register(metrics));
        lastCall.set(new LastCall(operation, result, clock.instant(), answer instanceof ApiAnswer.Ok<T> ? null : answer.describe()));
        return answer;
    }

    private <T> ApiAnswer<T> attempt(Supplier<Call<T>> request, Duration timeout) {
        Call<T> call;
        Request httpRequest;
        try {
            call = request.get();
            if (timeout != null) {
                call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            }
            httpRequest = call.request();
        } catch (RuntimeException e) {
            return new ApiAnswer.SdkFailure<>("the LiveKit SDK failed: " + e);
        }
        try {
            Response<T> response = call.execute();
            return response.isSuccessful()
                    ? new ApiAnswer.Ok<>(response.body())
                    : new ApiAnswer.Refused<>(TwirpError.read(response.code(), response.errorBody()));
        } catch (IOException e) {
            return sent.wasSent(httpRequest)
                    ? new ApiAnswer.NoAnswer<>("sent, but no answer from LiveKit (" + e + ")")
                    : new ApiAnswer.NotSent<>("cannot reach LiveKit (" + e + ")");
        } catch (RuntimeException e) {
            // Decoding the answer failed: LiveKit acted, what it said is unknown.
            return new ApiAnswer.NoAnswer<>("LiveKit's answer could not be read (" + e + ")");
        }
    }

    public LastCall lastCall() {
        return lastCall.get();
    }
}
