package dev.switchboard.testing.livekit;

import livekit.LivekitAgentDispatch.AgentDispatch;
import livekit.LivekitModels.ParticipantInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The fake's picture of LiveKit: rooms with their participants and agent dispatches. A phone being dialled is a SIP
 * participant in the room from the first ring (as with LiveKit's SIP bridge); deleting its room or removing it ends
 * the dial, which the dialling request notices through {@link #dialing}'s future.
 */
final class FakeRooms {

    enum Removal { NO_ROOM, NO_PARTICIPANT, REMOVED }

    private static final class Room {
        final Map<String, ParticipantInfo> participants = new LinkedHashMap<>();
        final List<AgentDispatch> dispatches = new ArrayList<>();
        final Map<String, CompletableFuture<Void>> dialling = new HashMap<>();

        void endDials() {
            dialling.values().forEach(ended -> ended.complete(null));
            dialling.clear();
        }
    }

    private final Map<String, Room> rooms = new HashMap<>();

    synchronized void replace(String room, List<ParticipantInfo> participants) {
        Room previous = rooms.remove(room);
        if (previous != null) {
            previous.endDials();
        }
        Room fresh = new Room();
        participants.forEach(p -> fresh.participants.put(p.getIdentity(), p));
        rooms.put(room, fresh);
    }

    synchronized boolean exists(String room) {
        return rooms.containsKey(room);
    }

    synchronized Optional<List<ParticipantInfo>> participants(String room) {
        Room r = rooms.get(room);
        return r == null ? Optional.empty() : Optional.of(List.copyOf(r.participants.values()));
    }

    synchronized Optional<ParticipantInfo> participant(String room, String identity) {
        Room r = rooms.get(room);
        return r == null ? Optional.empty() : Optional.ofNullable(r.participants.get(identity));
    }

    /** True when the room existed. */
    synchronized boolean delete(String room) {
        Room r = rooms.remove(room);
        if (r != null) {
            r.endDials();
        }
        return r != null;
    }

    synchronized Removal remove(String room, String identity) {
        Room r = rooms.get(room);
        if (r == null) {
            return Removal.NO_ROOM;
        }
        CompletableFuture<Void> dial = r.dialling.remove(identity);
        if (dial != null) {
            dial.complete(null);
        }
        return r.participants.remove(identity) == null ? Removal.NO_PARTICIPANT : Removal.REMOVED;
    }

    /**
     * A SIP participant starts ringing in the room (created if absent). The future completes when the room is deleted
     * or the participant removed before the dial settled: LiveKit's SIP bridge then cancels the INVITE.
     */
    synchronized CompletableFuture<Void> dialing(String room, ParticipantInfo participant) {
        Room r = rooms.computeIfAbsent(room, name -> new Room());
        r.participants.put(participant.getIdentity(), participant);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        r.dialling.put(participant.getIdentity(), ended);
        return ended;
    }

    /** The dialled phone answered: the participant becomes active. Empty when the dial ended meanwhile. */
    synchronized Optional<ParticipantInfo> answered(String room, String identity) {
        Room r = rooms.get(room);
        if (r == null || r.dialling.remove(identity) == null) {
            return Optional.empty();
        }
        ParticipantInfo active = r.participants.get(identity).toBuilder().putAttributes("sip.callStatus", "active").build();
        r.participants.put(identity, active);
        return Optional.of(active);
    }

    /** The dial failed: the SIP participant leaves the room. */
    synchronized void dialFailed(String room, String identity) {
        Room r = rooms.get(room);
        if (r != null && r.dialling.remove(identity) != null) {
            r.participants.remove(identity);
        }
    }

    synchronized AgentDispatch dispatch(String room, String agentName, String metadata) {
        Room r = rooms.computeIfAbsent(room, name -> new Room());
        AgentDispatch dispatch = AgentDispatch.newBuilder()
                .setId("AD_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .setAgentName(agentName)
                .setRoom(room)
                .setMetadata(metadata)
                .build();
        r.dispatches.add(dispatch);
        return dispatch;
    }

    synchronized Optional<List<AgentDispatch>> dispatches(String room) {
        Room r = rooms.get(room);
        return r == null ? Optional.empty() : Optional.of(List.copyOf(r.dispatches));
    }

    synchronized Optional<AgentDispatch> deleteDispatch(String room, String dispatchId) {
        Room r = rooms.get(room);
        if (r == null) {
            return Optional.empty();
        }
        Optional<AgentDispatch> found = r.dispatches.stream().filter(d -> d.getId().equals(dispatchId)).findFirst();
        found.ifPresent(r.dispatches::remove);
        return found;
    }

    synchronized void clear() {
        rooms.values().forEach(Room::endDials);
        rooms.clear();
    }
}
