package dev.switchboard.stack;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's own token issuer: an RSA key made once in the state directory ({@code auth/}), whose public half
 * every service trusts through the standard mp.jwt.verify.* settings, and whose private half signs the tokens
 * {@code ./switchboard token} prints (RS256, jose4j: the library SmallRye JWT verifies with). Only for the local
 * stack: a deployment points the same settings at its OIDC provider.
 */
public record LocalAuth(Path privateKey, Path publicKey) {
    public static final String ISSUER = "https://switchboard.local/issuer";
    public static final String AUDIENCE = "switchboard";
    public static final String TENANT_CLAIM = "tenant";
    public static final List<String> ALL_SCOPES = List.of("calls:read", "calls:control", "calls:dial", "calls:simulate",
            "transcripts:read", "transcripts:delete", "audit:read", "tenants:all");

    /** The key pair in {@code <state>/auth}, made now if it does not exist yet. */
    public static LocalAuth ensure(Path stateDirectory) {
        Path directory = stateDirectory.resolve("auth");
        LocalAuth auth = in(stateDirectory);
        if (Files.exists(auth.privateKey()) && Files.exists(auth.publicKey())) {
            return auth;
        }
        try {
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            writeOwnerOnly(auth.privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(auth.publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return auth;
        } catch (IOException e) {
            throw new StackException("cannot create the local signing key in " + directory + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys", e);
        }
    }

    /**
     * The key pair a stack with this state directory made, if it did. A client of a running stack uses this rather
     * than {@link #ensure}: a key made now would sign tokens that no running service trusts.
     */
    public static Optional<LocalAuth> existing(Path stateDirectory) {
        LocalAuth auth = in(stateDirectory);
        return Files.exists(auth.privateKey()) && Files.exists(auth.publicKey()) ? Optional.of(auth) : Optional.empty();
    }

    private static LocalAuth in(Path stateDirectory) {
        Path directory = stateDirectory.resolve("auth");
        return new LocalAuth(directory.resolve("signing-key.pem"), directory.resolve("public-key.pem"));
    }

    /**
     * What a service needs to trust this key, and to listen on loopback only. A setting the stack's own environment
     * already has (say, an OIDC provider's issuer and JWKS URL) is left to it.
     */
    public Map<String, String> serviceEnvironment(Map<String, String> inherited) {
        Map<String, String> env = new HashMap<>();
        if (!inherited.containsKey("MP_JWT_VERIFY_PUBLICKEY_LOCATION")) {
            env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toAbsolutePath().toString());
            env.put("MP_JWT_VERIFY_ISSUER", ISSUER);
            env.put("MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
        }
        if (!inherited.containsKey("QUARKUS_HTTP_HOST")) {
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        }
        return env;
    }

    /** A signed token for this stack. */
    public String sign(String subject, String tenant, List<String> scopes, Duration ttl) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setClaim("preferred_username", subject);
        claims.setClaim(TENANT_CLAIM, tenant);
        claims.setClaim("scope", String.join(" ", scopes));
        Instant now = Instant.now();
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(readPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token with " + privateKey, e);
        }
    }

    private PrivateKey readPrivateKey() {
        try {
            String pem = Files.readString(privateKey, StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new StackException(privateKey + " is not an RSA private key (PKCS#8 PEM); delete it to make a new one");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Readable by the owner only, from the moment it exists. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // a half-made pair from an interrupted run: overwritten below
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
