package dev.switchboard.worker.livekit;

import dev.switchboard.worker.concurrent.WorkerThreads;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.events.Transport;
import dev.switchboard.livekit.ffi.AudioSource;
import dev.switchboard.livekit.ffi.AudioStream;
import dev.switchboard.livekit.ffi.LiveKitEngine;
import dev.switchboard.livekit.ffi.LocalAudioTrack;
import dev.switchboard.livekit.ffi.Participant;
import dev.switchboard.livekit.ffi.RemoteTrack;
import dev.switchboard.livekit.ffi.Room;
import dev.switchboard.livekit.ffi.RoomEvent;
import dev.switchboard.livekit.ffi.SipDtmf;
import dev.switchboard.livekit.ffi.TrackPublication;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.ParticipantKind;
import dev.switchboard.livekit.ffi.proto.TrackProto.TrackKind;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.AgentSettings;
import dev.switchboard.worker.session.CallFacts;
import dev.switchboard.worker.session.SessionRegistry;
import dev.switchboard.worker.voice.VoiceStack;
import dev.switchboard.worker.voice.VoiceTransport;
import dev.switchboard.worker.voice.audio.MonoAudio;
import livekit.LivekitAgent;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call in a LiveKit room: join with the assignment's token (the binding completes the ready handshake),
 * publish the agent's voice, wait for the caller (the first participant that is not an agent; a SIP caller is
 * recognized by its kind and {@code sip.*} attributes), run an agent session over the voice pipeline, feed it
 * the caller's audio at 16 kHz, and end the session the way the call ended (hung up, busy, no answer, removed,
 * room deleted). Leaves the room and releases every engine handle at the end. A call someone placed is described by
 * its {@link DialDetails}: the job's dispatch metadata, else the SIP participant's {@value DialDetails#PARTICIPANT_ATTRIBUTE}
 * attribute (an automatically dispatched agent's job carries no metadata).
 */
final class LiveKitCall {
    /** How long before LiveKit's own cut-off a dialled call's agent says its closing line and hangs up. */
    private static final Duration CLOSING_LINE_MARGIN = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(LiveKitCall.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration TONE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALLER_WAIT = Duration.ofSeconds(60);

    private final LiveKitEngine engine;
    private final LivekitAgent.Job job;
    private final String url;
    private final String token;
    private final SessionRegistry sessions;
    private final VoiceStack voice;
    private final TenantResolver tenants;
    private final AgentSettings.Opener inboundOpener;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile AgentSession session;
    private volatile boolean terminated;
    /** What the dial that placed the call said; known once the caller has joined. */
    private DialDetails dial = DialDetails.none();

    private LiveKitCall(LiveKitEngine engine, LivekitAgent.Job job, String url, String token, SessionRegistry sessions, VoiceStack voice,
                        TenantResolver tenants, AgentSettings.Opener inboundOpener) {
        this.engine = engine;
        this.job = job;
        this.url = url;
        this.token = token;
        this.sessions = sessions;
        this.voice = voice;
        this.tenants = tenants;
        this.inboundOpener = inboundOpener;
    }

    static JobRunner.RunningJob start(LiveKitEngine engine, LivekitAgent.Job job, String url, String token, SessionRegistry sessions,
                                      VoiceStack voice, TenantResolver tenants, AgentSettings.Opener inboundOpener) {
        LiveKitCall call = new LiveKitCall(engine, job, url, token, sessions, voice, tenants, inboundOpener);
        WorkerThreads.start("livekit-call-" + job.getId(), call::run);
        return new JobRunner.RunningJob(job.getId(), call.started, call.ended, call::terminate);
    }

    private void run() {
        String roomName = job.getRoom().getName();
        try (Room room = Room.connect(engine, url, token, Room.ConnectOptions.defaults(), CONNECT_TIMEOUT);
             AudioSource source = AudioSource.create(engine, voice.outputSampleRate(), 1, 200);
             LocalAudioTrack track = LocalAudioTrack.create(engine, "agent-voice", source)) {
            TrackPublication published = room.publishTrack(track, Room.PublishOptions.microphone(), Duration.ofSeconds(10));
            Optional<Participant> caller = awaitCaller(room);
            if (caller.isEmpty()) {
                LOG.infof("room %s: no caller joined within %d s; leaving", roomName, CALLER_WAIT.toSeconds());
                started.complete(null);
                return;
            }
            Participant callerParticipant = caller.get();
            dial = DialDetails.of(job.getMetadata(), callerParticipant);
            if (dial.fromParticipant()) {
                LOG.debugf("room %s: the job has no dispatch metadata; the dial's details come from the SIP participant's %s attribute",
                        roomName, DialDetails.PARTICIPANT_ATTRIBUTE);
            }
            VoiceTransport transport = voice.create(Transport.LIVEKIT, callerParticipant.identity(), callerParticipant.isSip(),
                    new LiveKitAudioOutput(source));
            CallDirection direction = direction(callerParticipant);
            Numbers numbers = numbers(callerParticipant, direction);
            session = sessions.start(new SessionRegistry.StartRequest(roomName, instructions(), transport, direction,
                    numbers.caller(), numbers.callee(), metadata(callerParticipant), tenant(callerParticipant), maxDuration(),
                    dial.dialCommandId()))
                    .get(15, TimeUnit.SECONDS);
            if (callerParticipant.isSip()) {
                // The SIP bridge turns the engine's DTMF packets into tones on the phone line.
                transport.toneLine(tone -> room.publishSipDtmf(SipDtmf.code(tone), String.valueOf(tone), TONE_TIMEOUT));
            }
            transport.attach(session);
            started.complete(null);
            session.screenAnswer(machineDetection(), dial.text("voicemailMessage"));
            if (agentOpens(roomName, direction)) {
                session.open().exceptionally(error -> {
                    LOG.warnf("room %s: the agent's opening line failed: %s", roomName, error.getMessage());
                    return null;
                });
            }
            try (LiveKitCaptions captions = new LiveKitCaptions(room, callerParticipant.identity(), audioTrackSid(callerParticipant),
                    published.sid())) {
                transport.captions(captions);
                callerAudio(room, callerParticipant, transport);
                follow(room, callerParticipant, transport);
                session.ended().get(60, TimeUnit.SECONDS);
            }
            room.disconnect(DisconnectReason.CLIENT_INITIATED, Duration.ofSeconds(5));
        } catch (Exception e) {
            LOG.errorf(e, "room %s: the call failed", roomName);
            if (session != null) {
                session.end(EndReason.ERROR, new Issuer(IssuerKind.SYSTEM, "agent-worker", null, null), "the call failed: " + e.getMessage());
            }
            started.completeExceptionally(e);
            ended.completeExceptionally(e);
            return;
        }
        ended.complete(null);
    }

    /** The caller: the first remote participant that is not an agent, present already or joining within a minute. */
    private Optional<Participant> awaitCaller(Room room) throws InterruptedException {
        long deadline = System.nanoTime() + CALLER_WAIT.toNanos();
        while (System.nanoTime() < deadline && !terminated) {
            Optional<Participant> present = room.remoteParticipants().values().stream()
                    .filter(p -> p.kind() != ParticipantKind.PARTICIPANT_KIND_AGENT).findFirst();
            if (present.isPresent()) {
                return present;
            }
            RoomEvent event = room.nextEvent(Duration.ofMillis(200));
            if (event instanceof RoomEvent.Disconnected || event instanceof RoomEvent.Ended || event instanceof RoomEvent.EngineFailed) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The room's events until the session ends: the caller leaving, the agent being disconnected, the engine failing. */
    private void follow(Room room, Participant caller, VoiceTransport transport) throws InterruptedException {
        while (!session.ended().isDone()) {
            RoomEvent event = room.nextEvent(Duration.ofMillis(200));
            switch (event) {
                case null -> {
                }
                case RoomEvent.ParticipantDisconnected left when left.participant().identity().equals(caller.identity()) -> {
                    LOG.infof("room %s: the caller left (%s)", room.name(), left.reason());
                    WorkerThreads.start("caller-left-" + room.name(), () -> transport.callerLeft(DisconnectReasons.callerLeft(left.reason())));
                }
                case RoomEvent.SipDtmfReceived key when key.participantIdentity().equals(caller.identity()) ->
                        session.callerPressed(key.participantIdentity(), key.digit() == null || key.digit().isEmpty() ? String.valueOf(SipDtmf.digit(key.code())) : key.digit());
                case RoomEvent.TrackSubscribed subscribed when subscribed.participant().identity().equals(caller.identity())
                        && subscribed.track().kind() == TrackKind.KIND_AUDIO -> startAudio(subscribed.track(), transport);
                case RoomEvent.Disconnected disconnected -> session.callEnded(DisconnectReasons.agentDisconnected(disconnected.reason()),
                        new Issuer(IssuerKind.SYSTEM, "livekit", null, null), "the agent was disconnected: " + disconnected.reason());
                case RoomEvent.EngineFailed failed -> session.end(EndReason.ERROR, new Issuer(IssuerKind.SYSTEM, "agent-worker", null, null),
                        "the media engine failed: " + failed.message());
                case RoomEvent.Ended ignored -> session.end(EndReason.ERROR, new Issuer(IssuerKind.SYSTEM, "agent-worker", null, null),
                        "the room's event stream ended");
                default -> {
                }
            }
        }
    }

    private volatile boolean audioStarted;

    private void callerAudio(Room room, Participant caller, VoiceTransport transport) {
        caller.tracks().values().stream().filter(t -> t.kind() == TrackKind.KIND_AUDIO).findFirst()
                .ifPresent(track -> startAudio(track, transport));
    }

    /** Reads the caller's audio at 16 kHz mono (the engine resamples) into the pipeline. */
    private synchronized void startAudio(RemoteTrack track, VoiceTransport transport) {
        if (audioStarted) {
            return;
        }
        audioStarted = true;
        WorkerThreads.start("caller-audio-" + job.getRoom().getName(), () -> {
            try (AudioStream stream = AudioStream.fromTrack(engine, track, 16_000, 1, AudioStream.Options.defaults())) {
                while (!session.ended().isDone()) {
                    var frame = stream.read(Duration.ofMillis(200));
                    if (frame != null) {
                        transport.onCallerAudio(new MonoAudio(frame.data(), frame.sampleRate()));
                    } else if (stream.isEnded()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warnf("room %s: the caller's audio stopped: %s", job.getRoom().getName(), e.getMessage());
            }
        });
    }

    private static String audioTrackSid(Participant participant) {
        return participant.tracks().values().stream().filter(t -> t.kind() == TrackKind.KIND_AUDIO).map(RemoteTrack::sid)
                .findFirst().orElse("");
    }

    /** LiveKit asks the worker to stop this job: the session ends (and with it the call). */
    private void terminate() {
        terminated = true;
        AgentSession current = session;
        if (current != null) {
            current.end(EndReason.SYSTEM_HANGUP, new Issuer(IssuerKind.SYSTEM, "livekit", null, null), "LiveKit terminated the job");
        }
    }

    private CallDirection direction(Participant caller) {
        String declared = dial.text("direction");
        if (declared != null) {
            try {
                return CallDirection.valueOf(declared.toUpperCase());
            } catch (IllegalArgumentException e) {
                // not one of ours: fall through
            }
        }
        return caller.isSip() ? CallDirection.INBOUND : CallDirection.WEB;
    }

    /** Who called whom. */
    private record Numbers(String caller, String callee) {
    }

    /**
     * The SIP leg's {@code sip.phoneNumber} is the far end and {@code sip.trunkPhoneNumber} ours, whichever way the call
     * goes: on a call the agent placed the far end is the callee. A dial's own numbers (its details) come first.
     */
    private Numbers numbers(Participant caller, CallDirection direction) {
        String farEnd = caller.attributes().get("sip.phoneNumber");
        String ours = caller.attributes().get("sip.trunkPhoneNumber");
        if (direction == CallDirection.OUTBOUND) {
            return new Numbers(firstKnown(dial.text("callerNumber"), ours), firstKnown(dial.text("calleeNumber"), farEnd));
        }
        return new Numbers(farEnd, ours);
    }

    private static String firstKnown(String preferred, String otherwise) {
        return preferred != null && !preferred.isBlank() ? preferred : otherwise;
    }

    /** Whose call this is: the configured rules over the job, the dial, the room and the SIP leg. */
    private String tenant(Participant caller) {
        var resolution = tenants.resolve(new TenantResolver.CallFacts(job.getMetadata(), dial.participantJson(), job.getRoom().getMetadata(),
                job.getRoom().getName(), caller.attributes().get("sip.trunkID"), caller.attributes().get("sip.trunkPhoneNumber")));
        LOG.debugf("room %s: tenant %s (by %s)", job.getRoom().getName(), resolution.tenant(), resolution.rule());
        return resolution.tenant();
    }

    /**
     * A dial's own maximum duration ({@code maxCallDurationSeconds} in its details; LiveKit cuts the SIP leg then): the
     * agent ends the call a little before, so its closing line is heard. Null: the configured maximum.
     */
    private Duration maxDuration() {
        JsonNode seconds = dial.field("maxCallDurationSeconds");
        if (!seconds.canConvertToLong() || seconds.asLong() <= 0) {
            return null;
        }
        Duration dialled = Duration.ofSeconds(seconds.asLong());
        Duration early = dialled.minus(CLOSING_LINE_MARGIN);
        return early.compareTo(CLOSING_LINE_MARGIN) < 0 ? dialled : early;
    }

    /**
     * Whether the agent speaks first: a dial says so in its details ({@code firstSpeaker}: AGENT or CALLEE,
     * the callee by default, who answers with "hello"); an inbound or web call follows the configured opener.
     */
    private boolean agentOpens(String room, CallDirection direction) {
        String declared = dial.text("firstSpeaker");
        boolean opens = declared != null ? declared.equalsIgnoreCase("AGENT")
                : direction != CallDirection.OUTBOUND && inboundOpener == AgentSettings.Opener.AGENT;
        LOG.debugf("room %s: %s speaks first", room, opens ? "the agent" : "the caller");
        return opens;
    }

    /** A dial's answering-machine detection (HANGUP, LEAVE_MESSAGE or CONTINUE in its details); null: none. */
    private MachineDetection machineDetection() {
        Optional<MachineDetection> mode = dial.machineDetection();
        String declared = dial.text("machineDetection");
        if (mode.isEmpty() && declared != null && !declared.isBlank()) {
            LOG.warnf("room %s: unknown machineDetection '%s' in the dial's details; no detection", job.getRoom().getName(), declared);
        }
        return mode.orElse(null);
    }

    /** The dial's details may carry the session's instructions (JSON {"instructions": ...}). */
    private String instructions() {
        return dial.text("instructions");
    }

    private Map<String, String> metadata(Participant caller) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put("livekit.jobId", job.getId());
        metadata.put("livekit.callerIdentity", caller.identity());
        caller.attributes().forEach((key, value) -> {
            if (key.startsWith("sip.")) {
                metadata.put(key, value);
            }
        });
        dial.dialMetadata().forEach((key, value) -> metadata.put(CallFacts.DIAL_METADATA_PREFIX + key, value));
        return metadata;
    }
}
