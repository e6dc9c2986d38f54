package dev.switchboard.worker.session;

import dev.switchboard.events.Issuer;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.kit.concurrent.AsyncFailures;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's transcript: every line (the caller's, the agent's as heard, injected context, instruction changes)
 * is published as a {@link TranscriptSegment}, numbered in the order it was said. A caller's interim versions and
 * their final share one sequence number and count up a revision. {@link #flush} waits until the broker has
 * acknowledged every line, so the last words are stored before the session reports its end.
 */
final class TranscriptRecorder {
    private static final Logger LOG = Logger.getLogger(TranscriptRecorder.class);

    private final AgentSession.Identity session;
    private final String callerIdentity;
    private final SessionPublisher publisher;
    private final SessionClock clock;
    private final AtomicLong sequence = new AtomicLong();
    /** Sequence and revision of each caller segment still being spoken. */
    private final Map<String, long[]> callerSegments = new ConcurrentHashMap<>();
    private final Map<CompletableFuture<Void>, Boolean> unacknowledged = new ConcurrentHashMap<>();

    /** The agent's lines are recorded as the worker's participant ({@code agent-<workerId>}). */
    TranscriptRecorder(AgentSession.Identity session, String callerIdentity, SessionPublisher publisher, SessionClock clock) {
        this.session = session;
        this.callerIdentity = callerIdentity;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** What the caller is saying ({@code isFinal} false) or said: one line per segment, revised until final. */
    void caller(CallerSpeech speech, boolean isFinal) {
        long[] seqAndRevision = callerSegments.computeIfAbsent(speech.segmentId(), id -> new long[]{sequence.getAndIncrement(), -1});
        seqAndRevision[1]++;
        publish(TranscriptSegment.newBuilder()
                .setSegmentId(speech.segmentId())
                .setSequence(seqAndRevision[0])
                .setRevision((int) seqAndRevision[1])
                .setRole(SpeakerRole.USER)
                .setParticipantIdentity(callerIdentity)
                .setText(speech.text())
                .setStartMs(speech.startMs())
                .setEndMs(speech.endMs())
                .setIsFinal(isFinal)
                .setConfidence(speech.confidence())
                .setLanguage(speech.language()));
        if (isFinal) {
            callerSegments.remove(speech.segmentId());
        }
    }

    /**
     * What the agent said, from {@code startMs}: the words the caller heard. When it was cut off, the line is marked
     * interrupted and keeps the whole text that was meant ({@code meant}).
     */
    void agent(long startMs, CallTransport.Delivery heard, String meant) {
        publish(line(SpeakerRole.AGENT, "agent-" + session.workerId(), heard.spokenText(), startMs, startMs + heard.durationMs())
                .setInterrupted(heard.interrupted())
                .setGeneratedText(heard.interrupted() ? meant : null));
    }

    /** Context someone outside the call added (InjectContext), with who sent it and their label. */
    void injected(String text, Issuer issuer, String commandId, String label) {
        long now = clock.elapsedMs();
        publish(line(SpeakerRole.INJECTED, null, text, now, now).setInjectedBy(issuer).setCommandId(commandId).setLabel(label));
    }

    /** Something that changed the session without being said (new instructions), with who changed it. */
    void system(String text, Issuer issuer, String commandId, String label) {
        long now = clock.elapsedMs();
        publish(line(SpeakerRole.SYSTEM, null, text, now, now).setInjectedBy(issuer).setCommandId(commandId).setLabel(label));
    }

    /** Waits, at most {@code timeout}, until every line published so far was acknowledged; says so when not. */
    void flush(Duration timeout) {
        CompletableFuture<?>[] pending = unacknowledged.keySet().toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf("room %s: %d transcript line(s) not acknowledged before the session ended: %s", session.room(), pending.length, e);
        }
    }

    /** A final line of its own (not a revision of an earlier one). */
    private TranscriptSegment.Builder line(SpeakerRole role, String participant, String text, long startMs, long endMs) {
        return TranscriptSegment.newBuilder()
                .setSegmentId(UUID.randomUUID().toString())
                .setSequence(sequence.getAndIncrement())
                .setRevision(0)
                .setRole(role)
                .setParticipantIdentity(participant)
                .setText(text)
                .setStartMs(startMs)
                .setEndMs(endMs)
                .setIsFinal(true);
    }

    private void publish(TranscriptSegment.Builder line) {
        TranscriptSegment segment = line.setRoom(session.room()).setSessionId(session.sessionId()).setTenant(session.tenant()).setCreatedAt(clock.timestamp()).build();
        CompletableFuture<Void> ack = publisher.transcript(segment).toCompletableFuture();
        unacknowledged.put(ack, Boolean.TRUE);
        ack.whenComplete((ok, error) -> {
            unacknowledged.remove(ack);
            if (error == null) {
                return;
            }
            Throwable cause = AsyncFailures.cause(error);
            if (cause instanceof java.util.concurrent.TimeoutException) {
                // Not acknowledged in time is not lost: the producer keeps the line and sends it once the broker
                // answers (until its delivery timeout), and the transcript service stores it once by its segmentId.
                LOG.warnf("room %s: transcript line %s is not acknowledged yet (%s); Kafka's producer keeps trying to deliver it",
                        session.room(), segment.getSegmentId(), cause.getMessage());
            } else {
                LOG.errorf("room %s: transcript line %s was not published: %s", session.room(), segment.getSegmentId(), cause.getMessage());
            }
        });
    }
}
