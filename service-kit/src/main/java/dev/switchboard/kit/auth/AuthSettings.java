package dev.switchboard.kit.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Secure by default: a service does not start without the settings that verify tokens, since without them it could
 * not tell a real token from a forged one. There is no switch to turn authentication off; the local stack and the
 * tests configure their own key.
 */
@ApplicationScoped
public class AuthSettings {
    static final String ISSUER = "mp.jwt.verify.issuer";
    static final String AUDIENCES = "mp.jwt.verify.audiences";
    static final String KEY_LOCATION = "mp.jwt.verify.publickey.location";
    static final String KEY = "mp.jwt.verify.publickey";

    /**
     * Before any other start-up work (the Kafka clients included), so a service without these settings stops at once.
     * A {@link ConfigurationException} is what Quarkus reports as a bad setting: the message alone, without a stack trace.
     */
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, Config config, AuthConfig auth) {
        List<String> missing = missing(config);
        if (!missing.isEmpty()) {
            throw new ConfigurationException(message(missing));
        }
        Optional<String> unreadable = unreadableKey(config);
        if (unreadable.isPresent()) {
            throw new ConfigurationException(unreadable.get());
        }
        new CallerClaims(auth); // refuses a default tenant that is not a tenant name, at start rather than at the first request
    }

    static List<String> missing(Config config) {
        List<String> missing = new ArrayList<>();
        if (absent(config, ISSUER)) {
            missing.add("MP_JWT_VERIFY_ISSUER (" + ISSUER + "): the issuer (iss) of the tokens to accept, e.g. https://idp.example.com/realms/switchboard");
        }
        if (absent(config, AUDIENCES)) {
            missing.add("MP_JWT_VERIFY_AUDIENCES (" + AUDIENCES + "): the audience (aud) tokens for Switchboard carry, e.g. switchboard");
        }
        if (absent(config, KEY_LOCATION) && absent(config, KEY)) {
            missing.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION (" + KEY_LOCATION + "): the provider's JWKS URL, or a PEM public key file");
        }
        return missing;
    }

    /**
     * A key location that is neither a URL nor a file or class-path resource this service can read: without the check
     * the service started, said it was ready and answered every request 500 (the key is read at the first token), a
     * stack trace each.
     */
    static Optional<String> unreadableKey(Config config) {
        if (!absent(config, KEY)) {
            return Optional.empty(); // the key itself is configured, the location is not used
        }
        String location = config.getOptionalValue(KEY_LOCATION, String.class).map(String::strip).orElse("");
        if (location.isEmpty() || location.regionMatches(true, 0, "http:", 0, 5) || location.regionMatches(true, 0, "https:", 0, 6)) {
            return Optional.empty();
        }
        String path = location.startsWith("file:") ? location.substring("file:".length())
                : location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        boolean onClassPath = !location.startsWith("file:") && Thread.currentThread().getContextClassLoader()
                .getResource(path.startsWith("/") ? path.substring(1) : path) != null;
        if (onClassPath || readableFile(path)) {
            return Optional.empty();
        }
        return Optional.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION (" + KEY_LOCATION + ") names " + location + ", which is neither "
                + "an http(s) URL nor a file or class-path resource this service can read; set it to the provider's JWKS URL "
                + "or a readable PEM public key file");
    }

    private static boolean readableFile(String path) {
        try {
            Path file = Path.of(path);
            return Files.isRegularFile(file) && Files.isReadable(file);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    static String message(List<String> missing) {
        return "this service verifies every API request's bearer token and will not start without knowing whose tokens to trust. Set "
                + String.join("; ", missing) + ". The README's Security section has examples for Keycloak, Auth0 and Entra ID; "
                + "./switchboard up configures a local key by itself.";
    }

    private static boolean absent(Config config, String name) {
        Optional<String> value = config.getOptionalValue(name, String.class);
        return value.isEmpty() || value.get().isBlank();
    }
}
