package dev.switchboard.controller.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livekit.server.RoomServiceClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import livekit.LivekitModels;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link LiveKitRooms} through LiveKit's own server SDK ({@link RoomServiceClient}: Twirp over HTTP with protobuf
 * bodies, a fresh JWT with the method's grant per call). Classifies each answer for the retry policy and records
 * its latency.
 */
public final class SdkLiveKitRooms implements LiveKitRooms, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of the most recent call, for the health report. */
    public record LastCall(String operation, String result, Instant at, String message) {
    }

    private final RoomServiceClient client;
    private final OkHttpClient http;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final AtomicReference<LastCall> lastCall = new AtomicReference<>();

    public SdkLiveKitRooms(String apiBase, String apiKey, String apiSecret, Duration timeout, MeterRegistry metrics, Clock clock) {
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .build();
        this.client = RoomServiceClient.createClient(apiBase, apiKey, apiSecret, () -> http);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public LiveKitResult<Void> deleteRoom(String room) {
        return call("DeleteRoom", () -> client.deleteRoom(room), body -> null);
    }

    @Override
    public LiveKitResult<Void> removeParticipant(String room, String identity) {
        return call("RemoveParticipant", () -> client.removeParticipant(room, identity), body -> null);
    }

    @Override
    public LiveKitResult<List<RoomParticipant>> listParticipants(String room) {
        return call("ListParticipants", () -> client.listParticipants(room),
                (List<LivekitModels.ParticipantInfo> infos) -> infos == null ? List.of()
                        : infos.stream().map(LiveKitMappings::participant).toList());
    }

    public LastCall lastCall() {
        return lastCall.get();
    }

    private <T, R> LiveKitResult<R> call(String operation, Supplier<Call<T>> request, Function<T, R> body) {
        Timer.Sample sample = Timer.start(metrics);
        LiveKitResult<R> result;
        try {
            Response<T> response = request.get().execute();
            result = response.isSuccessful()
                    ? new LiveKitResult.Done<>(body.apply(response.body()))
                    : classify(response.code(), twirpError(response.errorBody()));
        } catch (InterruptedIOException e) {
            result = new LiveKitResult.TransientFailure<>("no answer within the request timeout (" + e.getMessage() + ")");
        } catch (IOException e) {
            result = new LiveKitResult.TransientFailure<>("cannot reach LiveKit: " + e);
        } catch (RuntimeException e) {
            // Signing or encoding the request failed: retrying will not change that.
            result = new LiveKitResult.PermanentFailure<>("the LiveKit SDK failed: " + e);
        }
        String outcome = switch (result) {
            case LiveKitResult.Done<R> done -> "done";
            case LiveKitResult.NotFound<R> notFound -> "not_found";
            case LiveKitResult.TransientFailure<R> failure -> "transient_failure";
            case LiveKitResult.PermanentFailure<R> failure -> "permanent_failure";
        };
        sample.stop(Timer.builder("switchboard.controller.livekit.calls")
                .description("LiveKit server API calls: latency by operation and result")
                .tag("operation", operation)
                .tag("result", outcome)
                .register(metrics));
        lastCall.set(new LastCall(operation, outcome, clock.instant(), message(result)));
        return result;
    }

    /** Twirp maps its error codes onto HTTP statuses; not_found is 404, unavailable 503, and so on. */
    static <R> LiveKitResult<R> classify(int status, TwirpError error) {
        String message = "HTTP " + status + (error.code() == null ? "" : " " + error.code()) + (error.msg() == null ? "" : ": " + error.msg());
        if (status == 404 || "not_found".equals(error.code())) {
            return new LiveKitResult.NotFound<>(message);
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new LiveKitResult.TransientFailure<>(message);
        }
        return new LiveKitResult.PermanentFailure<>(message);
    }

    record TwirpError(String code, String msg) {
    }

    private static TwirpError twirpError(ResponseBody body) {
        if (body == null) {
            return new TwirpError(null, null);
        }
        try (body) {
            String text = body.string();
            try {
                JsonNode json = JSON.readTree(text);
                return new TwirpError(json.path("code").asText(null), json.path("msg").asText(null));
            } catch (IOException notJson) {
                // A proxy in front of LiveKit may answer with HTML or plain text.
                return new TwirpError(null, text.length() > 200 ? text.substring(0, 200) : text);
            }
        } catch (IOException e) {
            return new TwirpError(null, null);
        }
    }

    private static String message(LiveKitResult<?> result) {
        return switch (result) {
            case LiveKitResult.Done<?> done -> null;
            case LiveKitResult.NotFound<?> notFound -> notFound.message();
            case LiveKitResult.TransientFailure<?> failure -> failure.message();
            case LiveKitResult.PermanentFailure<?> failure -> failure.message();
        };
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
