package dev.switchboard.kit.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;

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
