package dev.switchboard.controller.livekit;

import dev.switchboard.events.DisconnectReason;
import dev.switchboard.events.ParticipantKind;
import livekit.LivekitModels;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** LiveKit's protobuf enums to the project's Avro enums, by name; what the schema does not know becomes its default. */
public final class LiveKitMappings {
    private static final Map<String, ParticipantKind> KINDS = byName(ParticipantKind.values(), ParticipantKind::name);
    private static final Map<String, DisconnectReason> REASONS = byName(DisconnectReason.values(), DisconnectReason::name);

    /** The attribute LiveKit's SIP bridge sets to the caller's (or callee's) number. */
    public static final String SIP_PHONE_NUMBER = "sip.phoneNumber";

    private LiveKitMappings() {
    }

    /** BRIDGE and kinds newer than the schema become UNKNOWN. */
    public static ParticipantKind kind(LivekitModels.ParticipantInfo.Kind kind) {
        return KINDS.getOrDefault(kind.name(), ParticipantKind.UNKNOWN);
    }

    /** AGENT_ERROR and reasons newer than the schema become UNKNOWN_REASON. */
    public static DisconnectReason disconnectReason(LivekitModels.DisconnectReason reason) {
        return REASONS.getOrDefault(reason.name(), DisconnectReason.UNKNOWN_REASON);
    }

    public static RoomParticipant participant(LivekitModels.ParticipantInfo info) {
        return new RoomParticipant(info.getIdentity(), info.getName(), kind(info.getKind()), info.getAttributesMap());
    }

    private static <E> Map<String, E> byName(E[] values, Function<E, String> name) {
        return Arrays.stream(values).collect(Collectors.toUnmodifiableMap(name, Function.identity()));
    }
}
