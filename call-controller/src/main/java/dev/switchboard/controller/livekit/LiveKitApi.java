package dev.switchboard.controller.livekit;

import io.livekit.server.AgentDispatchServiceClient;
import io.livekit.server.RoomServiceClient;
import io.livekit.server.SipService;
import io.livekit.server.SipServiceClient;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import retrofit2.Retrofit;
import retrofit2.converter.protobuf.ProtoConverterFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * LiveKit's server API as the controller uses it: rooms, SIP and agent dispatch, all through the official SDK over
 * two HTTP clients. Room and dispatch calls are short ({@code requestTimeout}). SIP calls wait for a phone, so their
 * client has no read or call timeout of its own (each call sets one), never resends a request by itself (OkHttp
 * retries a request on a failed connection, which for a dial could ring the phone twice), and keeps no idle
 * connections (a dial never starts on a connection the server already closed).
 */
public final class LiveKitApi implements AutoCloseable {
    private final OkHttpClient http;
    private final OkHttpClient sipHttp;
    private final LiveKitCalls calls;
    private final SdkLiveKitRooms rooms;
    private final SdkLiveKitSip sip;
    private final SdkLiveKitDispatch dispatch;

    private LiveKitApi(String apiBase, String apiKey, String apiSecret, Duration requestTimeout, MeterRegistry metrics, Clock clock) {
        SentRequests sent = new SentRequests();
        http = new OkHttpClient.Builder()
                .connectTimeout(requestTimeout)
                .readTimeout(requestTimeout)
                .writeTimeout(requestTimeout)
                .callTimeout(requestTimeout)
                .eventListener(sent)
                .build();
        sipHttp = http.newBuilder()
                .readTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .build();
        calls = new LiveKitCalls(sent, metrics, clock);
        rooms = new SdkLiveKitRooms(RoomServiceClient.createClient(apiBase, apiKey, apiSecret, () -> http), calls);
        SipService sipService = new Retrofit.Builder()
                .baseUrl(apiBase)
                .addConverterFactory(ProtoConverterFactory.create())
                .client(sipHttp)
                .build()
                .create(SipService.class);
        sip = new SdkLiveKitSip(sipService, SipServiceClient.createClient(apiBase, apiKey, apiSecret, () -> sipHttp), apiKey, apiSecret, calls);
        dispatch = new SdkLiveKitDispatch(AgentDispatchServiceClient.createClient(apiBase, apiKey, apiSecret, () -> http), calls);
    }

    /** {@code apiBase} is the http(s) base of the server API ({@link LiveKitUrl#apiBase}). */
    public static LiveKitApi connect(String apiBase, String apiKey, String apiSecret, Duration requestTimeout, MeterRegistry metrics, Clock clock) {
        return new LiveKitApi(apiBase, apiKey, apiSecret, requestTimeout, metrics, clock);
    }

    public LiveKitRooms rooms() {
        return rooms;
    }

    public LiveKitSip sip() {
        return sip;
    }

    public LiveKitDispatch dispatch() {
        return dispatch;
    }

    public LiveKitCalls.LastCall lastCall() {
        return calls.lastCall();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        sipHttp.connectionPool().evictAll();
    }
}
