package dev.switchboard.controller.livekit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
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

    LiveKitClients(LiveKitSettings settings, MeterRegistry metrics, Clock clock) {
        if (settings.configured()) {
            apiBase = LiveKitUrl.apiBase(settings.url().orElseThrow());
            api = LiveKitApi.connect(apiBase, settings.apiKey().orElseThrow(), settings.apiSecret().orElseThrow(),
                    settings.requestTimeout(), metrics, clock);
            LOG.infof("LiveKit server API at %s", apiBase);
        } else {
            apiBase = null;
            api = null;
            List<String> missing = new ArrayList<>();
            settings.url().ifPresentOrElse(url -> { }, () -> missing.add("LIVEKIT_URL"));
            settings.apiKey().ifPresentOrElse(key -> { }, () -> missing.add("LIVEKIT_API_KEY"));
            settings.apiSecret().ifPresentOrElse(secret -> { }, () -> missing.add("LIVEKIT_API_SECRET"));
            if (missing.size() < 3) {
                LOG.warnf("LiveKit is only partly configured (missing %s): the controller runs without LiveKit", String.join(", ", missing));
            } else {
                LOG.info("LiveKit is not configured: simulated calls only; webhooks, dials and transfers are refused");
            }
        }
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
