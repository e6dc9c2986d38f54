package dev.switchboard.controller.livekit;

import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Request;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Remembers which requests OkHttp began to write. A call that failed before that (connection refused, unknown host,
 * connect timeout) certainly had no effect on LiveKit; one that failed after may have. Requests are remembered weakly
 * (by identity: OkHttp's Request has no equals), so nothing needs to be forgotten explicitly.
 */
final class SentRequests extends EventListener {
    private final Set<Request> sent = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public void requestHeadersStart(Call call) {
        sent.add(call.request());
    }

    boolean wasSent(Request request) {
        return sent.contains(request);
    }
}
