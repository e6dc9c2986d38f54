package dev.switchboard.worker.session;

import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TranscriptRecorderTest {
    private final RecordingPublisher published = new RecordingPublisher();
    private final TranscriptRecorder transcript = new TranscriptRecorder(
            new AgentSession.Identity("room-1", "session-1", "w1", "agent", Instant.now()), "caller", published,
            new SessionClock(Clock.systemUTC()));

    @Test
    void interimVersionsAndTheFinalShareOneLineAndCountUpARevision() {
        transcript.caller(new CallerSpeech("s1", "Where is", 0, 500, 0.8f, "en"), false);
        transcript.agent(600, new CallTransport.Delivery("One moment.", false, 700), "One moment.");
        transcript.caller(new CallerSpeech("s1", "Where is my order", 0, 900, 0.9f, "en"), true);
        transcript.caller(new CallerSpeech("s2", "Thanks", 1000, 1300, null, null), true);

        assertThat(published.transcripts).extracting(TranscriptSegment::getSegmentId, TranscriptSegment::getSequence,
                        TranscriptSegment::getRevision, TranscriptSegment::getIsFinal)
                .containsExactly(
                        tuple("s1", 0L, 0, false),
                        tuple(published.transcripts.get(1).getSegmentId(), 1L, 0, true),
                        tuple("s1", 0L, 1, true),
                        tuple("s2", 2L, 0, true));
        assertThat(published.transcripts.getFirst().getParticipantIdentity()).isEqualTo("caller");
        assertThat(published.transcripts).allSatisfy(line -> {
            assertThat(line.getRoom()).isEqualTo("room-1");
            assertThat(line.getSessionId()).isEqualTo("session-1");
        });
    }

    @Test
    void anInterruptedAgentLineKeepsWhatWasHeardAndWhatWasMeant() {
        transcript.agent(1000, new CallTransport.Delivery("We have standard", true, 900), "We have standard and express shipping.");

        TranscriptSegment line = published.transcripts.getFirst();
        assertThat(line.getRole()).isEqualTo(SpeakerRole.AGENT);
        assertThat(line.getParticipantIdentity()).isEqualTo("agent-w1");
        assertThat(line.getText()).isEqualTo("We have standard");
        assertThat(line.getInterrupted()).isTrue();
        assertThat(line.getGeneratedText()).isEqualTo("We have standard and express shipping.");
        assertThat(line.getEndMs() - line.getStartMs()).isEqualTo(900);
    }

    @Test
    void injectedLinesSayWhoSentThem() {
        var crm = new Issuer(IssuerKind.SYSTEM, "crm", null, null);
        transcript.injected("Order 42 shipped", crm, "cmd-1", "order");

        TranscriptSegment line = published.transcripts.getFirst();
        assertThat(line.getRole()).isEqualTo(SpeakerRole.INJECTED);
        assertThat(line.getInjectedBy()).isEqualTo(crm);
        assertThat(line.getCommandId()).isEqualTo("cmd-1");
        assertThat(line.getLabel()).isEqualTo("order");
        assertThat(line.getInterrupted()).isFalse();
    }

    @Test
    void flushWaitsForTheBrokersAcknowledgements() throws Exception {
        var pending = new CompletableFuture<Void>();
        published.transcriptAck = pending;
        transcript.system("Instructions replaced: Be brief.", null, "cmd-2", "instructions");

        var flushed = CompletableFuture.runAsync(() -> transcript.flush(Duration.ofSeconds(5)));
        Thread.sleep(200);
        assertThat(flushed).isNotDone();

        pending.complete(null);
        flushed.get(5, TimeUnit.SECONDS);
    }
}
