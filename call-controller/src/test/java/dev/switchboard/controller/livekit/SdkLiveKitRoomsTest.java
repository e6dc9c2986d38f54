package dev.switchboard.controller.livekit;

import dev.switchboard.events.ParticipantKind;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import livekit.LivekitModels.ParticipantInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.LIST_PARTICIPANTS;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.REMOVE_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official server SDK, with the OkHttp, protobuf and Kotlin versions this module resolves, against the fake
 * Twirp server: proves the SDK works at runtime and that its answers are classified as the hang-up policy needs.
 */
class SdkLiveKitRoomsTest {
    @RegisterExtension
    static final FakeLiveKitPerClass LIVEKIT = new FakeLiveKitPerClass();

    private static FakeLiveKitServer livekit() {
        return LIVEKIT.server();
    }

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private LiveKitRooms rooms;

    @BeforeEach
    void connect() {
        rooms = client(livekit().apiSecret());
    }

    private LiveKitRooms client(String secret) {
        return LIVEKIT.connect(secret, Duration.ofSeconds(3), metrics).rooms();
    }

    @Test
    void deletesARoomWithTheRoomCreateGrant() {
        livekit().room("r1");
        assertThat(rooms.deleteRoom("r1")).isInstanceOf(LiveKitResult.Done.class);
        assertThat(livekit().hasRoom("r1")).isFalse();
        var request = livekit().requests(DELETE_ROOM, "r1").getFirst();
        assertThat(request.authorized()).isTrue();
        assertThat(request.contentType()).startsWith("application/protobuf");
        assertThat(request.video()).containsEntry("roomCreate", true);
        assertThat(metrics.get("switchboard.controller.livekit.calls").tags("operation", DELETE_ROOM, "result", "done").timer().count()).isEqualTo(1);
    }

    @Test
    void anUnknownRoomIsNotFound() {
        assertThat(rooms.deleteRoom("nowhere")).isInstanceOf(LiveKitResult.NotFound.class);
        assertThat(rooms.listParticipants("nowhere")).isInstanceOf(LiveKitResult.NotFound.class);
    }

    @Test
    void listsAndRemovesParticipantsWithRoomAdminForThatRoom() {
        livekit().room("r2",
                FakeLiveKitServer.participant("agent-1", ParticipantInfo.Kind.AGENT, Map.of()),
                FakeLiveKitServer.participant("sip_+15550100", ParticipantInfo.Kind.SIP, Map.of("sip.phoneNumber", "+15550100")));
        var listed = (LiveKitResult.Done<List<RoomParticipant>>) rooms.listParticipants("r2");
        assertThat(listed.value()).extracting(RoomParticipant::identity, RoomParticipant::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent-1", ParticipantKind.AGENT),
                        org.assertj.core.groups.Tuple.tuple("sip_+15550100", ParticipantKind.SIP));
        assertThat(listed.value().get(1).attributes()).containsEntry("sip.phoneNumber", "+15550100");

        assertThat(rooms.removeParticipant("r2", "sip_+15550100")).isInstanceOf(LiveKitResult.Done.class);
        assertThat(rooms.removeParticipant("r2", "sip_+15550100")).isInstanceOf(LiveKitResult.NotFound.class);
        assertThat(livekit().participants("r2")).containsExactly("agent-1");
        var remove = livekit().requests(REMOVE_PARTICIPANT, "r2").getFirst();
        assertThat(remove.video()).containsEntry("roomAdmin", true).containsEntry("room", "r2");
        assertThat(livekit().requests(LIST_PARTICIPANTS, "r2")).allMatch(FakeLiveKitServer.RecordedRequest::authorized);
    }

    @Test
    void serverErrorsAreTransientAndBadCredentialsPermanent() {
        livekit().room("r3").failNext(DELETE_ROOM, 1, 503);
        assertThat(rooms.deleteRoom("r3")).isInstanceOf(LiveKitResult.TransientFailure.class);
        assertThat(rooms.deleteRoom("r3")).isInstanceOf(LiveKitResult.Done.class);

        livekit().room("r4");
        var refused = client("not-the-secret-but-long-enough-for-hs256").deleteRoom("r4");
        assertThat(refused).isInstanceOf(LiveKitResult.PermanentFailure.class);
        assertThat(((LiveKitResult.PermanentFailure<Void>) refused).message()).contains("401", "unauthenticated");
        assertThat(livekit().hasRoom("r4")).isTrue();
    }

    @Test
    void anUnreachableServerIsTransient() {
        var unreachable = LiveKitApi.connect("http://127.0.0.1:1/", "k", "s", Duration.ofSeconds(2), metrics, Clock.systemUTC()).rooms();
        assertThat(unreachable.deleteRoom("r5")).isInstanceOf(LiveKitResult.TransientFailure.class);
    }
}
