package dev.switchboard.stack;

import dev.switchboard.stack.StackSettings.ServiceSpec;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web console in the local stack: the gateway serves it, and the browser reads transcripts straight from the
 * transcript service, which is another origin here (another port). So the gateway is told where the transcript service
 * is, and the transcript service allows the console's origin through CORS. Settings the stack's own environment already
 * has are left to it.
 */
final class ConsoleWiring {
    static final String GATEWAY = "context-gateway";
    static final String TRANSCRIPTS = "transcript-service";

    private ConsoleWiring() {
    }

    /** What one service needs for the console, on top of its other settings. */
    static Map<String, String> environment(StackSettings settings, ServiceSpec service, Map<String, String> inherited) {
        Map<String, String> env = new HashMap<>();
        if (service.name().equals(GATEWAY) && !inherited.containsKey("SWITCHBOARD_CONSOLE_TRANSCRIPTS_URL")) {
            env.put("SWITCHBOARD_CONSOLE_TRANSCRIPTS_URL", "http://localhost:" + port(settings, TRANSCRIPTS));
        }
        if (service.name().equals(TRANSCRIPTS) && !inherited.containsKey("QUARKUS_HTTP_CORS_ORIGINS")) {
            int gateway = port(settings, GATEWAY);
            // The console opened as localhost or as 127.0.0.1: both are the same gateway, but different origins.
            env.put("QUARKUS_HTTP_CORS_ORIGINS", "http://localhost:" + gateway + ",http://127.0.0.1:" + gateway);
        }
        return env;
    }

    /**
     * The console's address with a fresh token in its fragment (which the console takes, keeps in the tab's session
     * storage and clears from the address), when the stack signs the tokens its services trust; without a token when
     * the services trust another issuer (the console then asks for one).
     */
    static Optional<String> url(StackSettings settings, Map<String, String> inherited) {
        if (settings.services().stream().noneMatch(s -> s.name().equals(GATEWAY))) {
            return Optional.empty();
        }
        String console = "http://localhost:" + port(settings, GATEWAY) + "/console/";
        if (inherited.containsKey("MP_JWT_VERIFY_PUBLICKEY_LOCATION")) {
            return Optional.of(console);
        }
        String token = LocalAuth.ensure(settings.stateDirectory()).sign("local-admin", "default", LocalAuth.ALL_SCOPES, Duration.ofHours(12));
        return Optional.of(console + "#token=" + token);
    }

    private static int port(StackSettings settings, String service) {
        return settings.services().stream().filter(s -> s.name().equals(service)).findFirst().map(ServiceSpec::port)
                .orElseGet(() -> StackSettings.servicePort(System.getenv(), service));
    }
}
