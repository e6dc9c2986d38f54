package dev.switchboard.controller.livekit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The controller's LiveKit clients, built once from {@link LiveKitSettings}. Without LIVEKIT_URL, LIVEKIT_API_KEY and
 * LIVEKIT_API_SECRET all are absent: hang-ups of simulated calls still work (nothing to call), webhooks are refused,
 * dials and transfers are answered with what to set. A malformed LIVEKIT_URL fails the start, so a typo is noticed
 * at deploy time, not at the first hang-up.
 */
@Startup
@ApplicationScoped
public class LiveKitClients {
    private static final Logger LOG = Logger.getLogger(LiveKitClients.class);

    private final LiveKitApi api;
    private final String apiBase;
    /** Why there is no LiveKit server API, and what to set; null when there is one. */
    private final String unavailable;

    /**
     * Before any other start-up work, as the token settings are checked ({@code AuthSettings}): a LIVEKIT_URL that is
     * no URL stops the controller at once with one line naming it, not after it reached the broker.
     */
    static void checkUrl(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, LiveKitSettings settings) {
        if (settings.configured()) {
            LiveKitUrl.apiBase(settings.url().orElseThrow());
        }
    }

    LiveKitClients(LiveKitSettings settings, MeterRegistry metrics, Clock clock) {
        if (settings.configured()) {
            apiBase = LiveKitUrl.apiBase(settings.url().orElseThrow());
            api = LiveKitApi.connect(apiBase, settings.apiKey().orElseThrow(), settings.apiSecret().orElseThrow(),
                    settings.requestTimeout(), metrics, clock);
            unavailable = null;
            LOG.infof("LiveKit server API at %s", apiBase);
        } else {
            apiBase = null;
            api = null;
            List<String> missing = new ArrayList<>();
            settings.url().ifPresentOrElse(url -> { }, () -> missing.add("LIVEKIT_URL"));
            settings.apiKey().ifPresentOrElse(key -> { }, () -> missing.add("LIVEKIT_API_KEY"));
            settings.apiSecret().ifPresentOrElse(secret -> { }, () -> missing.add("LIVEKIT_API_SECRET"));
            unavailable = missing.size() < 3
                    ? "LiveKit is only partly configured on the call controller: set " + String.join(", ", missing) + " too"
                    : "LiveKit is not configured on the call controller: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET";
            if (missing.size() < 3) {
                LOG.warnf("LiveKit is only partly configured (missing %s): the controller runs without LiveKit", String.join(", ", missing));
            } else {
                LOG.info("LiveKit is not configured: simulated calls only; webhooks, dials and transfers are refused");
            }
        }
    }

    /**
     * Why this controller has no LiveKit server API (it can place and transfer no calls), naming what to set; empty when
     * it has one.
     */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    public Optional<LiveKitRooms> rooms() {
        return Optional.ofNullable(api).map(LiveKitApi::rooms);
    }

    public Optional<LiveKitSip> sip() {
        return Optional.ofNullable(api).map(LiveKitApi::sip);
    }

    public Optional<LiveKitDispatch> dispatch() {
        return Optional.ofNullable(api).map(LiveKitApi::dispatch);
    }

    /** The server API base URL, when configured. */
    public Optional<String> apiBase() {
        return Optional.ofNullable(apiBase);
    }

    public Optional<LiveKitCalls.LastCall> lastCall() {
        return Optional.ofNullable(api).map(LiveKitApi::lastCall);
    }

    @PreDestroy
    void close() {
        if (api != null) {
            api.close();
        }
    }
}
