package dev.switchboard.stack;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ./switchboard token: its options, and tokens that verify with the public key the services are given. */
class TokenMainTest {

    @Test
    void defaultsAreTenantDefaultEveryScopeLocalAdminForTwelveHours() {
        TokenMain.Request request = TokenMain.parse(List.of());
        assertThat(request.subject()).isEqualTo("local-admin");
        assertThat(request.tenant()).isEqualTo("default");
        assertThat(request.scopes()).containsExactlyElementsOf(LocalAuth.ALL_SCOPES).contains("tenants:all");
        assertThat(request.ttl()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aTenantsTokenIsConfinedToItsTenantUnlessTenantsAllIsAskedFor() {
        assertThat(TokenMain.parse(List.of("--tenant", "acme")).scopes()).doesNotContain("tenants:all")
                .containsExactlyElementsOf(LocalAuth.ALL_SCOPES.stream().filter(scope -> !scope.equals("tenants:all")).toList());
        assertThat(TokenMain.parse(List.of("--tenant", "acme", "--scope", "tenants:all calls:read")).scopes())
                .containsExactly("tenants:all", "calls:read");
        assertThat(TokenMain.parse(List.of("--scope", "calls:read", "--scope", "calls:read,transcripts:read calls:read")).scopes())
                .as("a scope named twice is granted once").containsExactly("calls:read", "transcripts:read");
    }

    @Test
    void aSubjectIsOnePrintableLineAndATokenLivesAYearAtMost() {
        assertThatThrownBy(() -> TokenMain.parse(List.of("--subject", "ev\nCaller: fake"))).hasMessageContaining("control characters");
        assertThatThrownBy(() -> TokenMain.parse(List.of("--subject", "x".repeat(201)))).hasMessageContaining("up to 200");
        assertThat(TokenMain.ttl("365d")).isEqualTo(Duration.ofDays(365));
        assertThatThrownBy(() -> TokenMain.ttl("100000d")).hasMessageContaining("at most 365d");
    }

    @Test
    void optionsNarrowTheToken() {
        TokenMain.Request request = TokenMain.parse(List.of("--tenant", "acme", "--scope", "calls:read", "--scope",
                "transcripts:read calls:control", "--subject", "crm", "--ttl", "30m"));
        assertThat(request).isEqualTo(new TokenMain.Request("crm", "acme", List.of("calls:read", "transcripts:read", "calls:control"),
                Duration.ofMinutes(30)));
        assertThat(TokenMain.ttl("7d")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> TokenMain.parse(List.of("--ttl", "soon"))).hasMessageContaining("--ttl");
        assertThatThrownBy(() -> TokenMain.parse(List.of("--colour", "red"))).hasMessageContaining("unknown option: --colour");
        assertThatThrownBy(() -> TokenMain.parse(List.of("--tenant"))).hasMessageContaining("usage");
        assertThatThrownBy(() -> TokenMain.parse(List.of("--tenant", "acme", "--tenant", "globex")))
                .hasMessageContaining("--tenant is given twice").hasMessageContaining("usage");
        assertThatThrownBy(() -> TokenMain.parse(List.of("--ttl", "1h", "--subject", "a", "--ttl", "2h")))
                .hasMessageContaining("--ttl is given twice");
    }

    @Test
    void anUnknownScopeOrATenantThatIsNoNameIsRefusedBeforeAnythingIsSigned() {
        assertThatThrownBy(() -> TokenMain.parse(List.of("--scope", "calls:read calls:reed")))
                .hasMessageContaining("unknown scope \"calls:reed\"")
                .hasMessageContaining("the scopes are " + String.join(", ", LocalAuth.ALL_SCOPES))
                .hasMessageContaining("usage");
        assertThatThrownBy(() -> TokenMain.parse(List.of("--scope", ""))).as("not every scope, as no --scope would be")
                .hasMessageContaining("--scope must not be blank");
        for (String separatorsOnly : List.of(",", ", ", " , ,", ",,")) {
            assertThatThrownBy(() -> TokenMain.parse(List.of("--scope", separatorsOnly))).as("\"%s\" grants no scope, not all", separatorsOnly)
                    .hasMessageContaining("--scope names no scope").hasMessageContaining("usage");
            assertThatThrownBy(() -> TokenMain.parse(List.of("--scope", "calls:read", "--scope", separatorsOnly)))
                    .hasMessageContaining("--scope names no scope");
        }

        assertThat(TokenMain.parse(List.of("--tenant", "acme-eu.2_b")).tenant()).isEqualTo("acme-eu.2_b");
        assertThat(TokenMain.parse(List.of("--tenant", "t".repeat(64))).tenant()).hasSize(64);
        for (String tenant : List.of("a b", "", " ", "acme/eu", "t".repeat(65), "ünïcode")) {
            assertThatThrownBy(() -> TokenMain.parse(List.of("--tenant", tenant))).as(tenant)
                    .hasMessageContaining("--tenant takes a tenant name (1 to 64 letters, digits, '.', '_', '-'), not \"" + tenant + "\"");
        }
        assertThatThrownBy(() -> TokenMain.parse(List.of("--subject", ""))).hasMessageContaining("--subject must not be blank");
    }

    @Test
    void aTtlThatIsNoDurationIsRefusedInWords() {
        assertThatThrownBy(() -> TokenMain.ttl("0h")).hasMessage("--ttl must be longer than 0");
        assertThatThrownBy(() -> TokenMain.ttl("-5m")).hasMessageContaining("--ttl takes a number and a unit");
        assertThatThrownBy(() -> TokenMain.ttl("12")).hasMessageContaining("--ttl takes a number and a unit");
        for (String huge : List.of("99999999999999999999h", "9999999999999999d", "999999999999d")) {
            assertThatThrownBy(() -> TokenMain.ttl(huge)).as(huge).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--ttl is too long");
        }
    }

    @Test
    void theScopesAreTheOnesTheServicesCheck() throws Exception {
        // Surefire runs in the module directory, deploy/local-stack; the kit is not on this module's classpath.
        Path scopes = Path.of("").toAbsolutePath().getParent().getParent()
                .resolve("service-kit/src/main/java/dev/switchboard/kit/auth/Scopes.java");
        Matcher constant = Pattern.compile("public static final String \\w+ = \"([^\"]+)\";").matcher(Files.readString(scopes));
        List<String> declared = new ArrayList<>();
        while (constant.find()) {
            declared.add(constant.group(1));
        }
        assertThat(declared).as("the kit's Scopes").isNotEmpty();
        assertThat(LocalAuth.ALL_SCOPES).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theKeyIsMadeOnceAndItsTokensVerifyWithThePublicKeyTheServicesTrust(@TempDir Path state) throws Exception {
        LocalAuth auth = LocalAuth.ensure(state);
        String privateKey = Files.readString(auth.privateKey());
        assertThat(LocalAuth.ensure(state)).isEqualTo(auth);
        assertThat(Files.readString(auth.privateKey())).as("kept, not made again").isEqualTo(privateKey);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth.privateKey()))).isEqualTo("rw-------");

        var env = auth.serviceEnvironment(java.util.Map.of());
        assertThat(env).containsEntry("MP_JWT_VERIFY_ISSUER", LocalAuth.ISSUER).containsEntry("MP_JWT_VERIFY_AUDIENCES", "switchboard")
                .containsEntry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", auth.publicKey().toAbsolutePath().toString())
                .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1");
        assertThat(auth.serviceEnvironment(java.util.Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "https://idp/jwks")))
                .as("a provider configured in the environment wins").doesNotContainKey("MP_JWT_VERIFY_ISSUER");

        String token = auth.sign("crm", "acme", List.of("calls:read", "calls:control"), Duration.ofMinutes(5));
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKey(publicKey(auth.publicKey()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer(LocalAuth.ISSUER).setExpectedAudience("switchboard").setRequireExpirationTime()
                .build().processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("crm");
        assertThat(claims.getStringClaimValue("tenant")).isEqualTo("acme");
        assertThat(claims.getStringClaimValue("scope")).isEqualTo("calls:read calls:control");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(300);
    }

    @Test
    void aTokenSignedWithAKeyMadeJustNowSaysWhichStateDirectoryTrustsIt(@TempDir Path root) throws Exception {
        Path state = root.resolve("elsewhere");
        StackSettings settings = StackSettings.fromEnvironment(root, java.util.Map.of("SWITCHBOARD_STATE_DIR", state.toString()));
        TokenMain.Request request = TokenMain.parse(List.of());

        var first = new java.io.ByteArrayOutputStream();
        String token = TokenMain.sign(request, settings, new java.io.PrintStream(first, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(first.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("no stack has used " + state + " yet").contains("SWITCHBOARD_STATE_DIR").contains("a token for the local stack");
        assertThat(token.split("\\.")).hasSize(3);

        var second = new java.io.ByteArrayOutputStream();
        TokenMain.sign(request, settings, new java.io.PrintStream(second, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(second.toString(java.nio.charset.StandardCharsets.UTF_8)).as("the key existed: nothing to warn about")
                .doesNotContain("no stack has used").contains("a token for the local stack");
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
