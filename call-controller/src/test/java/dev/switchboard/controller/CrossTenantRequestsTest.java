package dev.switchboard.controller;

import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer.RecordedRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import livekit.LivekitModels.ParticipantInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.controller.CallControlRequests.LLM;
import static dev.switchboard.controller.CallControlRequests.dial;
import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.transfer;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.LIST_PARTICIPANTS;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.TRANSFER_SIP_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tenant fence: a call-control request for a room whose session an agent worker reports under another tenant is
 * REJECTED, audited, dead-lettered and not carried out; the session's own tenant is served as before.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class CrossTenantRequestsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration BEAT_EVERY = Duration.ofMillis(300);
    private static final String CALLER = "sip_+15550700";

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    private final String workerId = "tenant-test-worker-" + UUID.randomUUID();
    private final ScheduledExecutorService beating = Executors.newSingleThreadScheduledExecutor();
    private volatile List<WorkerSession> running = List.of();
    private TopicProbe<CommandResult> results;
    private TopicProbe<SessionEvent> events;
    private TopicProbe<byte[]> deadLetters;
    private TopicProbe<AuditRecord> audit;

    @BeforeEach
    void start() {
        livekit.reset();
        results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        deadLetters = TopicProbe.fromNow(Topic.CALL_CONTROL_DLQ, new ByteArrayDeserializer());
        audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer());
        // A pretend agent worker, beating like the real one so the controller's worker watch does not declare it lost.
        beating.scheduleAtFixedRate(() -> beat(WorkerState.RUNNING), BEAT_EVERY.toMillis(), BEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        beating.shutdown(); // a beat being sent finishes: interrupted, the producer would log an error
        beating.awaitTermination(5, TimeUnit.SECONDS);
        beat(WorkerState.STOPPED);
        livekit.reset(); // the fake is shared with the other test classes of this resource set
        results.close();
        events.close();
        deadLetters.close();
        audit.close();
    }

    /** A LiveKit call whose agent session the worker reports under {@code tenant}; the beat is on the topic on return. */
    private String callOf(String tenant) {
        String room = CallControlRequests.room("tenant-" + tenant);
        livekit.room(room, FakeLiveKitServer.participant("agent-worker-7", ParticipantInfo.Kind.AGENT, Map.of()),
                FakeLiveKitServer.sipParticipant(CALLER, "+15550700"));
        running = List.of(WorkerSession.newBuilder().setRoom(room).setSessionId(UUID.randomUUID().toString())
                .setTransport(Transport.LIVEKIT).setStartedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setTenant(tenant).build());
        beat(WorkerState.RUNNING);
        return room;
    }

    private synchronized void beat(WorkerState state) {
        TestProducer.send(Topic.WORKER_HEARTBEATS, workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setState(state).setSentAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setSource("agent-worker").setIntervalMs((int) BEAT_EVERY.toMillis()).setAgentName("test-agent")
                .setSessions(state == WorkerState.STOPPED ? List.of() : running).setDetail(null).build());
    }

    private static CallControlRequest request(String room, Object payload, String tenant) {
        return new Commands(LLM).callControl(Commands.newCommandId(), room, payload, Commands.DEFAULT_TTL, tenant);
    }

    private CommandResult awaitResult(CallControlRequest request) {
        return results.await(r -> request.getCommandId().equals(r.getCommandId()), WAIT);
    }

    /** REJECTED with the fence's reason, audited REFUSED and dead-lettered, and LiveKit never asked anything about the room. */
    private void assertRefusedUntouched(CallControlRequest request, String tenant) {
        String room = request.getRoom();
        CommandResult result = awaitResult(request);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("the request is for tenant '" + tenant + "', but the session in room " + room
                + " belongs to another tenant");
        assertThat(result.getCommandType()).isEqualTo(request.getPayload().getClass().getSimpleName());
        assertThat(result.getTenant()).as("filed under the session's tenant, as the worker's rejections are").isEqualTo("acme");

        AuditRecord audited = audit.await(a -> request.getCommandId().equals(a.getCommandId()), WAIT);
        assertThat(audited.getOutcome()).isEqualTo("REFUSED");
        assertThat(audited.getDetail()).isEqualTo(result.getReason());
        assertThat(audited.getTenant()).as("in the trail of the tenant whose call it was, as the worker files its refusals")
                .isEqualTo("acme");
        assertThat(audited.getActor().getId()).isEqualTo(request.getIssuer().getId());
        ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecord(r -> room.equals(r.key()), WAIT);
        assertThat(header(dead, "dead-letter-reason")).contains("belongs to another tenant");

        assertThat(livekit.requestsFor(room)).isEmpty();
        assertThat(livekit.participants(room)).containsExactly("agent-worker-7", CALLER);
        assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> room.equals(e.getRoom()));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void anotherTenantsHangupIsRejectedAndTheSessionsOwnTenantStillHangsUp() {
        String room = callOf("acme");
        CallControlRequest foreign = request(room, hangup(Transport.LIVEKIT).build(), "globex");

        TestProducer.send(Topic.CALL_CONTROL, room, foreign);

        assertRefusedUntouched(foreign, "globex");
        assertThat(livekit.hasRoom(room)).isTrue();

        CallControlRequest own = request(room, hangup(Transport.LIVEKIT).build(), "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, own);

        CallEnded ended = (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
        assertThat(ended.getHangupCommandId()).isEqualTo(own.getCommandId());
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method).containsExactly(DELETE_ROOM);
    }

    @Test
    void aRequestWithoutATenantIsCarriedOutAsTheWorkerAppliesCommandsWithoutOne() {
        String room = callOf("acme");
        CallControlRequest untenanted = request(room, hangup(Transport.LIVEKIT).build(), null);

        TestProducer.send(Topic.CALL_CONTROL, room, untenanted);

        CallEnded ended = (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
        assertThat(ended.getHangupCommandId()).isEqualTo(untenanted.getCommandId());
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method).containsExactly(DELETE_ROOM);
    }

    @Test
    void anotherTenantsTransferIsRejectedAndTheSessionsOwnTenantStillTransfers() {
        String room = callOf("acme");
        CallControlRequest foreign = request(room, transfer("tel:+15550799").build(), "globex");

        TestProducer.send(Topic.CALL_CONTROL, room, foreign);

        assertRefusedUntouched(foreign, "globex");

        CallControlRequest own = request(room, transfer("tel:+15550799").build(), "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, own);

        assertThat(awaitResult(own).getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method).containsExactly(LIST_PARTICIPANTS, TRANSFER_SIP_PARTICIPANT);
    }

    @Test
    void anotherTenantsDialCannotTakeOverTheRoom() {
        String room = callOf("acme");
        CallControlRequest foreign = request(room, dial("+15550798").build(), "globex");

        TestProducer.send(Topic.CALL_CONTROL, room, foreign);

        // Nothing dispatched, nothing dialled, and no CallFailed in the other tenant's call.
        assertRefusedUntouched(foreign, "globex");
        assertThat(livekit.dispatches(room)).isEmpty();
    }

    @Test
    void anotherTenantCannotHangUpACallWhileItsPhoneStillRings() {
        String room = CallControlRequests.room("tenant-ringing");
        livekit.dialOutcome("+15550797", DialOutcome.answerAfter(Duration.ofSeconds(15)));
        CallControlRequest dialling = request(room, dial("+15550797").setRingingTimeoutSeconds(20).build(), "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, dialling);
        await().atMost(WAIT).until(() -> !livekit.participants(room).isEmpty());
        List<String> asked = livekit.requestsFor(room).stream().map(RecordedRequest::method).toList();

        CallControlRequest foreign = request(room, hangup(Transport.LIVEKIT).build(), "globex");
        TestProducer.send(Topic.CALL_CONTROL, room, foreign);

        CommandResult result = awaitResult(foreign);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("the request is for tenant 'globex', but the call being dialled into room " + room
                + " belongs to another tenant");
        assertThat(result.getTenant()).as("nothing of acme's call is told").isEqualTo("globex");
        assertThat(audit.await(a -> foreign.getCommandId().equals(a.getCommandId()), WAIT).getOutcome()).isEqualTo("REFUSED");
        assertThat(livekit.requestsFor(room)).extracting(RecordedRequest::method).as("LiveKit was asked nothing more").isEqualTo(asked);
        assertThat(livekit.hasRoom(room)).isTrue();

        CallControlRequest own = request(room, hangup(Transport.LIVEKIT).build(), "acme");
        TestProducer.send(Topic.CALL_CONTROL, room, own);
        CallEnded ended = (CallEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT).getPayload();
        assertThat(ended.getHangupCommandId()).isEqualTo(own.getCommandId());
    }
}
