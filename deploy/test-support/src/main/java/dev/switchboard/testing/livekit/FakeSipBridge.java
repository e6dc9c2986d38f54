package dev.switchboard.testing.livekit;

import com.google.protobuf.Empty;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPParticipantInfo;
import livekit.LivekitSip.TransferSIPParticipantRequest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The SIP service's side of the fake: CreateSIPParticipant dials the number and settles as the test scripted it
 * ({@link DialOutcome}), TransferSIPParticipant hands the caller over unless the destination refuses. Requests and
 * errors are LiveKit's: validation messages from the protocol, SIP statuses in the Twirp error's {@code meta}, and
 * LiveKit's own ringing timeout as Twirp {@code canceled} "sip request timed out" (also what LiveKit answers when
 * the room is deleted while the phone rings).
 */
final class FakeSipBridge {
    /** LiveKit's ringing timeout when the request sets none. */
    static final Duration DEFAULT_RINGING_TIMEOUT = Duration.ofSeconds(30);

    private final FakeRooms rooms;
    private final Supplier<RoomMedia> media;
    private final Map<String, DialOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, TwirpError> transferRefusals = new ConcurrentHashMap<>();
    private final Set<String> outboundTrunks = ConcurrentHashMap.newKeySet();

    FakeSipBridge(FakeRooms rooms, Supplier<RoomMedia> media) {
        this.rooms = rooms;
        this.media = media;
    }

    void outcome(String number, DialOutcome outcome) {
        outcomes.put(number, outcome);
    }

    void refuseTransfersTo(String destination, int sipStatus, String reason) {
        transferRefusals.put(destination, TwirpError.sip(sipStatus, reason, ""));
    }

    void outboundTrunk(String trunkId) {
        outboundTrunks.add(trunkId);
    }

    void clear() {
        outcomes.clear();
        transferRefusals.clear();
        outboundTrunks.clear();
    }

    Answer createParticipant(CreateSIPParticipantRequest request) throws InterruptedException {
        String invalid = invalid(request);
        if (invalid != null) {
            return Answer.failed("invalid_argument", invalid);
        }
        if (!request.getSipTrunkId().isEmpty() && !outboundTrunks.contains(request.getSipTrunkId())) {
            return Answer.failed("not_found", "requested sip trunk does not exist");
        }
        String room = request.getRoomName();
        String number = request.getSipCallTo();
        String identity = request.getParticipantIdentity().isEmpty() ? "sip_" + number : request.getParticipantIdentity();
        String callId = "SCL_" + randomId();
        ParticipantInfo participant = ParticipantInfo.newBuilder()
                .setSid("PA_" + randomId())
                .setIdentity(identity)
                .setName(request.getParticipantName().isEmpty() ? identity : request.getParticipantName())
                .setMetadata(request.getParticipantMetadata())
                .setKind(ParticipantInfo.Kind.SIP)
                .setState(ParticipantInfo.State.ACTIVE)
                .putAllAttributes(attributes(request, callId))
                .build();
        SIPParticipantInfo info = SIPParticipantInfo.newBuilder()
                .setParticipantId(participant.getSid())
                .setParticipantIdentity(identity)
                .setRoomName(room)
                .setSipCallId(callId)
                .build();
        CompletableFuture<Void> hungUp = rooms.dialing(room, participant);
        Duration ringing = request.hasRingingTimeout()
                ? Duration.ofSeconds(request.getRingingTimeout().getSeconds(), request.getRingingTimeout().getNanos())
                : DEFAULT_RINGING_TIMEOUT;
        DialOutcome outcome = outcomes.getOrDefault(number, DialOutcome.answer());
        Dial dial = new Dial(room, identity, number, ringing, hungUp, info);
        if (!request.getWaitUntilAnswered()) {
            // LiveKit answers once the call is placed; the outcome only shows in the room.
            Thread.ofVirtual().name("fake-sip-dial").start(() -> {
                try {
                    settle(dial, outcome);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return Answer.ok(info);
        }
        return settle(dial, outcome);
    }

    private record Dial(String room, String identity, String number, Duration ringing, CompletableFuture<Void> hungUp,
                        SIPParticipantInfo info) {
    }

    private Answer settle(Dial dial, DialOutcome outcome) throws InterruptedException {
        return switch (outcome) {
            case DialOutcome.Answer answer -> {
                if (answer.after().compareTo(dial.ringing()) > 0) {
                    yield ringOut(dial);
                }
                if (ended(dial.hungUp(), answer.after())) {
                    yield cancelled();
                }
                Optional<ParticipantInfo> active = rooms.answered(dial.room(), dial.identity());
                if (active.isEmpty()) {
                    yield cancelled();
                }
                try {
                    media.get().sipParticipantJoined(dial.room(), dial.identity(), dial.number(), active.get().getAttributesMap());
                } catch (RuntimeException e) {
                    yield Answer.failed("internal", "media hook failed: " + e);
                }
                yield Answer.ok(dial.info());
            }
            case DialOutcome.Reject reject -> {
                if (reject.after().compareTo(dial.ringing()) > 0) {
                    yield ringOut(dial);
                }
                if (ended(dial.hungUp(), reject.after())) {
                    yield cancelled();
                }
                rooms.dialFailed(dial.room(), dial.identity());
                yield new Answer.Failed(TwirpError.sip(reject.sipStatus(), reject.reason(), "INVITE failed: "));
            }
            case DialOutcome.RejectWhenReleased held -> {
                try {
                    CompletableFuture.anyOf(held.release(), dial.hungUp()).get(Math.max(0, dial.ringing().toMillis()), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    rooms.dialFailed(dial.room(), dial.identity());
                    yield cancelled();
                } catch (ExecutionException e) {
                    yield cancelled();
                }
                if (dial.hungUp().isDone()) {
                    yield cancelled();
                }
                rooms.dialFailed(dial.room(), dial.identity());
                yield new Answer.Failed(TwirpError.sip(held.sipStatus(), held.reason(), "INVITE failed: "));
            }
            case DialOutcome.RingUntilTimeout timeout -> ringOut(dial);
        };
    }

    private Answer ringOut(Dial dial) throws InterruptedException {
        ended(dial.hungUp(), dial.ringing());
        rooms.dialFailed(dial.room(), dial.identity());
        return cancelled();
    }

    /** LiveKit's SIP bridge gave up waiting for a final response: its ringing timeout, or the room went away. */
    private static Answer cancelled() {
        return Answer.failed("canceled", "twirp error unknown: sip request timed out");
    }

    /** Waits up to {@code wait}; true when the dial was ended (room deleted, participant removed) meanwhile. */
    private static boolean ended(CompletableFuture<Void> hungUp, Duration wait) throws InterruptedException {
        try {
            hungUp.get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** The attributes LiveKit's SIP bridge gives an outbound participant, after the request's own. */
    private static Map<String, String> attributes(CreateSIPParticipantRequest request, String callId) {
        Map<String, String> attributes = new LinkedHashMap<>(request.getParticipantAttributesMap());
        attributes.put("sip.callID", callId);
        attributes.put("sip.callStatus", "dialing");
        attributes.put("sip.phoneNumber", request.getSipCallTo());
        if (!request.getSipTrunkId().isEmpty()) {
            attributes.put("sip.trunkID", request.getSipTrunkId());
        }
        if (!request.getSipNumber().isEmpty()) {
            attributes.put("sip.trunkPhoneNumber", request.getSipNumber());
        }
        return attributes;
    }

    /** The protocol's CreateSIPParticipantRequest validation, as far as the fields this fake reads. */
    private static String invalid(CreateSIPParticipantRequest request) {
        if (request.getSipTrunkId().isEmpty() && !request.hasTrunk() && request.getSipNumber().isEmpty()) {
            return "missing sip trunk id and sip number";
        }
        if (request.getSipCallTo().isEmpty()) {
            return "missing sip callee number";
        }
        if (request.getSipCallTo().contains("@")) {
            return "SipCallTo should be a phone number or SIP user, not a full SIP URI";
        }
        if (request.getRoomName().isEmpty()) {
            return "missing room name";
        }
        return null;
    }

    Answer transfer(TransferSIPParticipantRequest request) {
        if (request.getRoomName().isEmpty()) {
            return Answer.failed("invalid_argument", "Missing room name");
        }
        if (request.getParticipantIdentity().isEmpty()) {
            return Answer.failed("invalid_argument", "Missing participant identity");
        }
        if (!rooms.exists(request.getRoomName())) {
            return Answer.failed("not_found", "requested room does not exist");
        }
        Optional<ParticipantInfo> participant = rooms.participant(request.getRoomName(), request.getParticipantIdentity());
        if (participant.isEmpty()) {
            return Answer.failed("not_found", "participant does not exist");
        }
        if (!participant.get().getAttributesMap().containsKey("sip.callID")) {
            return Answer.failed("invalid_argument", "no SIP session associated with participant");
        }
        TwirpError refusal = transferRefusals.get(request.getTransferTo());
        if (refusal != null) {
            return new Answer.Failed(refusal);
        }
        // The REFER was accepted: the bridge hands the call over and the participant leaves the room.
        rooms.remove(request.getRoomName(), request.getParticipantIdentity());
        try {
            media.get().participantLeft(request.getRoomName(), request.getParticipantIdentity(), DisconnectReason.CLIENT_INITIATED);
        } catch (RuntimeException e) {
            return Answer.failed("internal", "media hook failed: " + e);
        }
        return Answer.ok(Empty.getDefaultInstance());
    }

    private static String randomId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
