package dev.switchboard.kit.auth;

import io.smallrye.jwt.auth.principal.AbstractKeyLocationResolver;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import org.jose4j.http.Get;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;
import java.util.Optional;

/**
 * The provider's JWKS endpoint, asked whether it serves a key set now. It is asked through the very client SmallRye JWT
 * fetches keys with (jose4j's {@code HttpsJwks} as {@link AbstractKeyLocationResolver} sets it up, so with the
 * service's {@code smallrye.jwt.client.tls.*} trust and {@code smallrye.jwt.http.proxy.*} settings), but once, without
 * SmallRye's retries and with short timeouts: it only has to tell an outage from a token signed by an unknown key, and a
 * request waits for it.
 */
final class JwksEndpoint extends AbstractKeyLocationResolver implements TokenKeys.Endpoint {
    private static final int TIMEOUT_MILLIS = 2_000;

    private final String location;

    private JwksEndpoint(JWTAuthContextInfo settings) throws UnresolvableKeyException {
        super(settings);
        this.location = settings.getPublicKeyLocation();
    }

    /** The endpoint at {@code mp.jwt.verify.publickey.location}. */
    static JwksEndpoint of(JWTAuthContextInfo settings) {
        try {
            return new JwksEndpoint(settings);
        } catch (UnresolvableKeyException e) {
            // Declared by the superclass's constructor, which only logs the settings.
            throw new IllegalStateException("cannot set up the JWKS client for " + settings.getPublicKeyLocation(), e);
        }
    }

    @Override
    public Optional<String> unreachable() {
        try {
            initializeHttpsJwks(location).refresh();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(TokenKeys.describe(e));
        } catch (JoseException e) {
            // It answered 200 with something that is not a key set: no keys either, and no fault of the client's.
            return Optional.of("the answer is not a JWK set: " + e.getMessage());
        } catch (RuntimeException e) {
            // The client settings (a trusted certificate, a proxy) do not work: the service's fault as well.
            return Optional.of(e.toString());
        }
    }

    @Override
    protected Get getHttpGet() {
        Get get = super.getHttpGet();
        get.setRetries(0);
        get.setConnectTimeout(TIMEOUT_MILLIS);
        get.setReadTimeout(TIMEOUT_MILLIS);
        return get;
    }
}
