package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Secure by default: a packaged service that is not told whose tokens to trust refuses to start, saying what to set,
 * instead of serving an API it could not authenticate. It is started as the stack starts its services
 * ({@link ServiceProcess}), but without the token settings the stack gives them ({@link LocalAuth#serviceEnvironment}).
 */
class TokenSettingsStartupTest {
    private static final List<String> TOKEN_SETTINGS = List.of("MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_PUBLICKEY");
    /** A JVM start on a busy machine, with room to spare; the refusal comes before any other start-up work. */
    private static final Duration PROMPTLY = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void aServiceWithoutTokenSettingsStopsAtOnceSayingWhatToSetWithoutAStackTrace() throws Exception {
        Map<String, String> unset = new HashMap<>();
        TOKEN_SETTINGS.forEach(name -> unset.put(name, null)); // none that this JVM's environment holds is passed on either
        String log = refusal(unset);

        assertThat(log).contains("will not start without knowing whose tokens to trust",
                "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "Security section");
    }

    /** As the Kubernetes manifests ship the auth ConfigMap: issuer and key location empty, the audience set. */
    @Test
    void aServiceWithTheTokenSettingsLeftEmptyStopsAtOnceNamingThemWithoutAStackTrace() throws Exception {
        Map<String, String> empty = new HashMap<>();
        TOKEN_SETTINGS.forEach(name -> empty.put(name, null));
        empty.put("MP_JWT_VERIFY_ISSUER", "");
        empty.put("MP_JWT_VERIFY_AUDIENCES", "switchboard");
        empty.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "");
        String log = refusal(empty);

        assertThat(log).contains("mp.jwt.verify.issuer", "mp.jwt.verify.publickey.location");
    }

    /** Starts the context gateway with these token settings, expects it to stop by itself, and returns its output. */
    private String refusal(Map<String, String> tokenSettings) throws IOException, InterruptedException {
        ServiceSpec gateway = new ServiceSpec("context-gateway", FreePorts.pick(), false);
        Map<String, String> env = new HashMap<>(tokenSettings);
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(gateway.port()));
        // Nothing listens there: the service must stop on its settings, before it would need the broker.
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.pick());
        long started = System.nanoTime();
        ServiceProcess service = ServiceProcess.start(gateway, TestStacks.repositoryRoot(), state.resolve("logs"), env, false);
        try {
            try {
                service.onExit().get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("%s still runs %d s after it started; its log:%n%s", gateway.name(), PROMPTLY.toSeconds(), Files.readString(service.log()));
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String log = Files.readString(service.log());

            assertThat(service.exitCode()).as("its exit code; its log:%n%s", log).isNotZero();
            assertThat(log).as("no stack trace").doesNotContainPattern("(?m)^\\s+at \\S+\\(").doesNotContain("Caused by:", "Exception in thread");
            System.out.printf("%s with %s: %s after %.1f s, saying: %s%n", gateway.name(), tokenSettings,
                    ServiceProcess.describeExit(service.exitCode()), took.toMillis() / 1000.0, log.strip());
            return log;
        } finally {
            if (service.isAlive()) {
                service.requestStop();
                service.awaitStop(Duration.ofSeconds(10));
            }
        }
    }
}
