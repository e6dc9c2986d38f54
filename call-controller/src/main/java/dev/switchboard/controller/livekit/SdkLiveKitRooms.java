package dev.switchboard.controller.livekit;

import io.livekit.server.RoomServiceClient;
import livekit.LivekitModels;

import java.util.List;

/**
 * {@link LiveKitRooms} through LiveKit's own server SDK ({@link RoomServiceClient}: Twirp over HTTP with protobuf
 * bodies, a fresh JWT with the method's grant per call), each answer classified for the hang-up's retry policy.
 * Room calls may be repeated safely (a repeated delete finds the room gone), so no answer at all is transient too.
 */
public final class SdkLiveKitRooms implements LiveKitRooms {
    private final RoomServiceClient client;
    private final LiveKitCalls calls;

    SdkLiveKitRooms(RoomServiceClient client, LiveKitCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    @Override
    public LiveKitResult<Void> deleteRoom(String room) {
        return classify(calls.execute("DeleteRoom", () -> client.deleteRoom(room), null), body -> null);
    }

    @Override
    public LiveKitResult<Void> removeParticipant(String room, String identity) {
        return classify(calls.execute("RemoveParticipant", () -> client.removeParticipant(room, identity), null), body -> null);
    }

    @Override
    public LiveKitResult<List<RoomParticipant>> listParticipants(String room) {
        return classify(calls.execute("ListParticipants", () -> client.listParticipants(room), null),
                (List<LivekitModels.ParticipantInfo> infos) -> infos == null ? List.of()
                        : infos.stream().map(LiveKitMappings::participant).toList());
    }

    private static <T, R> LiveKitResult<R> classify(ApiAnswer<T> answer, java.util.function.Function<T, R> body) {
        return switch (answer) {
            case ApiAnswer.Ok<T> ok -> new LiveKitResult.Done<>(body.apply(ok.value()));
            case ApiAnswer.Refused<T> refused -> classify(refused.error());
            case ApiAnswer.NotSent<T> notSent -> new LiveKitResult.TransientFailure<>(notSent.message());
            case ApiAnswer.NoAnswer<T> noAnswer -> new LiveKitResult.TransientFailure<>(noAnswer.message());
            // Signing or encoding the request failed: retrying will not change that.
            case ApiAnswer.SdkFailure<T> failure -> new LiveKitResult.PermanentFailure<>(failure.message());
        };
    }

    /** Twirp maps its error codes onto HTTP statuses; not_found is 404, unavailable 503, and so on. */
    static <R> LiveKitResult<R> classify(TwirpError error) {
        int status = error.httpStatus();
        if (status == 404 || error.hasCode("not_found")) {
            return new LiveKitResult.NotFound<>(error.describe());
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new LiveKitResult.TransientFailure<>(error.describe());
        }
        return new LiveKitResult.PermanentFailure<>(error.describe());
    }
}
