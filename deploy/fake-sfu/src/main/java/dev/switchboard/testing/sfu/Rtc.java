package dev.switchboard.testing.sfu;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** webrtc-java's asynchronous offer/answer calls, waited for (never call these on a WebRTC thread). */
final class Rtc {

    private static final long TIMEOUT_SECONDS = 10;

    private Rtc() {
    }

    static RTCSessionDescription createOffer(RTCPeerConnection pc) {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), sdpObserver(f));
        return await(f, "createOffer");
    }

    static RTCSessionDescription createAnswer(RTCPeerConnection pc) {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        pc.createAnswer(new RTCAnswerOptions(), sdpObserver(f));
        return await(f, "createAnswer");
    }

    static void setLocal(RTCPeerConnection pc, RTCSessionDescription d) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.setLocalDescription(d, setObserver(f));
        await(f, "setLocalDescription(" + d.sdpType + ")");
    }

    static void setRemote(RTCPeerConnection pc, RTCSessionDescription d) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.setRemoteDescription(d, setObserver(f));
        await(f, "setRemoteDescription(" + d.sdpType + ")");
    }

    private static CreateSessionDescriptionObserver sdpObserver(CompletableFuture<RTCSessionDescription> f) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                f.complete(description);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    private static SetSessionDescriptionObserver setObserver(CompletableFuture<Void> f) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    private static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted");
        }
    }
}
