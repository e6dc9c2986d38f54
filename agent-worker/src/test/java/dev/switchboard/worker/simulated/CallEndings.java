package dev.switchboard.worker.simulated;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.TopicProbe;
import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * How a simulated call in which the caller says nothing came to its end, as the broker saw it: the hang-up the worker
 * asked the call controller for, what the agent said, and the session's end. No controller runs in the worker's tests,
 * so the session ends once its hang-up confirmation wait runs out, as it does when the controller is away. (The silence
 * timeout watches LiveKit calls only, where silence means something: its broker test runs a call over the fake SFU.)
 */
record CallEndings(HangupRequested hangup, IssuerKind issuer, List<String> agentSaid, SessionEnded ended) {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static CallEndings ofASilentCall() {
        String room = "limits-" + UUID.randomUUID().toString().substring(0, 8);
        try (var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            // A simulated call does not open with a greeting: every line the agent says here comes from the limits.
            given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                    .post("/v1/simulated-calls").then().statusCode(201);

            CallControlRequest request = control.await(r -> room.equals(r.getRoom()) && r.getPayload() instanceof HangupRequested, WAIT);
            SessionEvent ended = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT);
            List<String> agentSaid = transcripts.drain(Duration.ofMillis(500)).stream()
                    .filter(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT && s.getIsFinal())
                    .map(TranscriptSegment::getText).toList();
            given().get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("state", equalTo("ENDED"));
            return new CallEndings((HangupRequested) request.getPayload(), request.getIssuer().getKind(), agentSaid,
                    (SessionEnded) ended.getPayload());
        }
    }
}
