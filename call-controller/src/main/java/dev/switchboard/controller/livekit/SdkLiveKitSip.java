package dev.switchboard.controller.livekit;

import dev.switchboard.kit.validation.DialRules;
import com.google.protobuf.Duration;
import io.livekit.server.AccessToken;
import io.livekit.server.SIPCall;
import io.livekit.server.SipService;
import io.livekit.server.SipServiceClient;
import io.livekit.server.TransferSipParticipantOptions;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPParticipantInfo;

import java.util.concurrent.TimeUnit;

/**
 * {@link LiveKitSip} through LiveKit's server SDK. The SDK's {@link SipServiceClient#createSipParticipant} (0.13.0)
 * cannot set {@code ringing_timeout}, {@code max_call_duration}, {@code sip_number} (the caller id) or
 * {@code participant_attributes}, so CreateSIPParticipant goes through the SDK's own Twirp interface
 * ({@link SipService}) with the protocol's full {@link CreateSIPParticipantRequest}, signed as the SDK signs it
 * (an access token with the sip.call grant). TransferSIPParticipant is the SDK client's.
 */
public final class SdkLiveKitSip implements LiveKitSip {
    private static final long TOKEN_TTL_MS = TimeUnit.MINUTES.toMillis(10);

    private final SipService service;
    private final SipServiceClient client;
    private final String apiKey;
    private final String apiSecret;
    private final LiveKitCalls calls;

    SdkLiveKitSip(SipService service, SipServiceClient client, String apiKey, String apiSecret, LiveKitCalls calls) {
        this.service = service;
        this.client = client;
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.calls = calls;
    }

    @Override
    public ApiAnswer<SipParticipant> createSipParticipant(OutboundCall call, java.time.Duration wait) {
        CreateSIPParticipantRequest.Builder request = CreateSIPParticipantRequest.newBuilder()
                .setSipTrunkId(call.trunkId())
                .setSipCallTo(DialRules.callTo(call.number())) // sip:alice calls the user alice at the trunk's address
                .setRoomName(call.room())
                .setParticipantIdentity(call.identity())
                .putAllParticipantAttributes(call.attributes())
                .setWaitUntilAnswered(true)
                .setPlayDialtone(call.playDialtone())
                .setRingingTimeout(duration(call.ringingTimeout()));
        if (call.fromNumber() != null) {
            request.setSipNumber(call.fromNumber());
        }
        if (call.name() != null) {
            request.setParticipantName(call.name());
        }
        if (call.maxCallDuration() != null) {
            request.setMaxCallDuration(duration(call.maxCallDuration()));
        }
        if (call.dtmf() != null) {
            request.setDtmf(call.dtmf());
        }
        return calls.execute("CreateSIPParticipant", () -> service.createSipParticipant(request.build(), sipCallAuthorization()), wait)
                .map(SdkLiveKitSip::participant);
    }

    @Override
    public ApiAnswer<Void> transferSipParticipant(String room, String identity, String transferTo, boolean playDialtone, java.time.Duration wait) {
        return calls.execute("TransferSIPParticipant",
                () -> client.transferSipParticipant(room, identity, transferTo, new TransferSipParticipantOptions(playDialtone)), wait);
    }

    private String sipCallAuthorization() {
        AccessToken token = new AccessToken(apiKey, apiSecret);
        token.addSIPGrants(new SIPCall(true));
        token.setTtl(TOKEN_TTL_MS);
        return "Bearer " + token.toJwt();
    }

    private static SipParticipant participant(SIPParticipantInfo info) {
        return new SipParticipant(info.getParticipantId(), info.getParticipantIdentity(), info.getRoomName(), info.getSipCallId());
    }

    private static Duration duration(java.time.Duration value) {
        return Duration.newBuilder().setSeconds(value.getSeconds()).setNanos(value.getNano()).build();
    }
}
