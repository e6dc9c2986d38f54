package dev.switchboard.testing.sfu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import livekit.LivekitModels;

/**
 * A participant the SFU makes up (e.g. a SIP caller): its info as LiveKit describes it and the audio track it
 * publishes. The media itself is sent per client session ({@link ClientSession}).
 */
final class FakeParticipant {

    /** How the participant's audio is made. {@code pcmFile} wins over the tone when set. */
    record AudioSpec(double toneHz, double amplitude, int sampleRate, String pcmFile, int pcmSampleRate, boolean loop) {
        static AudioSpec defaults() {
            return new AudioSpec(440, 0.5, 48_000, null, 16_000, true);
        }

        AudioFeed newFeed() throws IOException {
            if (pcmFile != null && !pcmFile.isBlank()) {
                return AudioFeed.file(Path.of(pcmFile), pcmSampleRate, loop);
            }
            return AudioFeed.tone(toneHz, amplitude, sampleRate);
        }
    }

    final String sid;
    final String identity;
    final String name;
    final LivekitModels.ParticipantInfo.Kind kind;
    final String trackSid;
    final String trackName;
    AudioSpec audio;
    final long joinedAtMs;
    final Map<String, String> attributes = new LinkedHashMap<>();
    String metadata;
    int version = 1;
    boolean disconnected;
    LivekitModels.DisconnectReason disconnectReason = LivekitModels.DisconnectReason.UNKNOWN_REASON;

    FakeParticipant(String sid, String identity, String name, LivekitModels.ParticipantInfo.Kind kind,
            Map<String, String> attributes, String metadata, String trackSid, String trackName, AudioSpec audio) {
        this.sid = sid;
        this.identity = identity;
        this.name = name;
        this.kind = kind;
        this.attributes.putAll(attributes);
        this.metadata = metadata == null ? "" : metadata;
        this.trackSid = trackSid;
        this.trackName = trackName;
        this.audio = audio;
        this.joinedAtMs = System.currentTimeMillis();
    }

    LivekitModels.TrackInfo trackInfo() {
        return LivekitModels.TrackInfo.newBuilder()
                .setSid(trackSid)
                .setType(LivekitModels.TrackType.AUDIO)
                .setName(trackName)
                .setSource(LivekitModels.TrackSource.MICROPHONE)
                .setMimeType("audio/opus")
                .setMuted(false)
                .setStream("")
                .build();
    }

    LivekitModels.ParticipantInfo info() {
        LivekitModels.ParticipantInfo.Builder b = LivekitModels.ParticipantInfo.newBuilder()
                .setSid(sid)
                .setIdentity(identity)
                .setName(name)
                .setKind(kind)
                .setMetadata(metadata)
                .putAllAttributes(attributes)
                .setJoinedAt(joinedAtMs / 1000)
                .setJoinedAtMs(joinedAtMs)
                .setVersion(version)
                .setRegion("local")
                .setPermission(LivekitModels.ParticipantPermission.newBuilder()
                        .setCanSubscribe(true).setCanPublish(true).setCanPublishData(true));
        if (disconnected) {
            b.setState(LivekitModels.ParticipantInfo.State.DISCONNECTED).setDisconnectReason(disconnectReason);
        } else {
            b.setState(LivekitModels.ParticipantInfo.State.ACTIVE).setIsPublisher(true).addTracks(trackInfo());
        }
        return b.build();
    }
}
