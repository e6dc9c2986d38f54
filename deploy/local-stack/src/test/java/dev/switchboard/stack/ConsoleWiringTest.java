package dev.switchboard.stack;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the local stack sets up for the web console, and the address ./switchboard up prints. */
class ConsoleWiringTest {
    @TempDir
    Path root;

    private StackSettings settings(Map<String, String> env) {
        var all = new java.util.HashMap<>(Map.of("SWITCHBOARD_GATEWAY_PORT", "18080", "SWITCHBOARD_TRANSCRIPTS_PORT", "18081"));
        all.putAll(env);
        return StackSettings.fromEnvironment(root, all);
    }

    private static StackSettings.ServiceSpec service(StackSettings settings, String name) {
        return settings.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theGatewayFindsTheTranscriptServiceWhichAllowsTheConsolesOrigins() {
        StackSettings settings = settings(Map.of());
        assertThat(ConsoleWiring.environment(settings, service(settings, "context-gateway"), Map.of()))
                .containsExactly(Map.entry("SWITCHBOARD_CONSOLE_TRANSCRIPTS_URL", "http://localhost:18081"));
        assertThat(ConsoleWiring.environment(settings, service(settings, "transcript-service"), Map.of()))
                .containsExactly(Map.entry("QUARKUS_HTTP_CORS_ORIGINS", "http://localhost:18080,http://127.0.0.1:18080"));
        assertThat(ConsoleWiring.environment(settings, service(settings, "agent-worker"), Map.of())).isEmpty();
        // What the stack's own environment says wins.
        assertThat(ConsoleWiring.environment(settings, service(settings, "transcript-service"),
                Map.of("QUARKUS_HTTP_CORS_ORIGINS", "https://console.example"))).isEmpty();
    }

    @Test
    void theAddressCarriesATokenOfTheStacksKeyInItsFragment() throws Exception {
        StackSettings settings = settings(Map.of());
        String url = ConsoleWiring.url(settings, Map.of()).orElseThrow();
        assertThat(url).startsWith("http://localhost:18080/console/#token=");
        Path publicKey = LocalAuth.ensure(settings.stateDirectory()).publicKey();
        String base64 = Files.readString(publicKey).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKey(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64))))
                .setExpectedIssuer(LocalAuth.ISSUER).setExpectedAudience(LocalAuth.AUDIENCE).setRequireExpirationTime()
                .build().processToClaims(url.substring(url.indexOf("#token=") + "#token=".length()));
        assertThat(claims.getSubject()).isEqualTo("local-admin");
        assertThat(claims.getStringClaimValue("scope")).contains("calls:control", "transcripts:read");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(12 * 3600);

        // Services that trust another issuer: the address without a token (the console asks for one).
        assertThat(ConsoleWiring.url(settings, Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "https://sso.example/certs")))
                .contains("http://localhost:18080/console/");
        // A stack without the gateway has no console.
        assertThat(ConsoleWiring.url(settings(Map.of("SWITCHBOARD_SERVICES", "transcript-service")), Map.of())).isEmpty();
    }
}
