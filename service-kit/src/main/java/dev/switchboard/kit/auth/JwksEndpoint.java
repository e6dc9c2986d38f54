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
 * service's {@code smallrye.jwt.client.tls.*} trust and {@code smallrye.jwt.http.proxy.*} settings), and through
 * {@link KeyFetches} as SmallRye's own fetches: short timeouts, no retries, and not again for a moment after a fetch
 * failed (that fetch's failure is the answer): it only has to tell an outage from a token signed by an unknown key, and
 * a request waits for it.
 */
final class JwksEndpoint extends AbstractKeyLocationResolver implements TokenKeys.Endpoint {
    private final String location;
    private final KeyFetches fetches;

    private JwksEndpoint(JWTAuthContextInfo settings, KeyFetches fetches) throws UnresolvableKeyException {
        super(settings);
        this.location = settings.getPublicKeyLocation();
        this.fetches = fetches;
    }

    /** The endpoint at {@code mp.jwt.verify.publickey.location}, fetched from through {@code fetches}. */
    static JwksEndpoint of(JWTAuthContextInfo settings, KeyFetches fetches) {
        try {
            return new JwksEndpoint(settings, fetches);
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
        return fetches.client();
    }
}
