package dev.switchboard.kit.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CrossOriginsTest {
    private static final CrossOrigins CONSOLE = CrossOrigins.of(true, Optional.of(List.of("http://console.example", "/https://.*\\.example\\.org/")));

    @Test
    void withCorsOffNoOriginIsRefused() {
        CrossOrigins off = CrossOrigins.of(false, Optional.of(List.of("http://console.example")));
        assertThat(off.refuses("has spaces", "localhost", -1)).isFalse();
        assertThat(off.refuses("http://elsewhere.example", "localhost", -1)).isFalse();
    }

    @Test
    void aRequestWithoutAnOriginIsNeverRefused() {
        assertThat(CONSOLE.refuses(null, "localhost", -1)).isFalse();
    }

    @Test
    void listedOriginsAndOnesAPatternMatchesAreLetThrough() {
        assertThat(CONSOLE.refuses("http://console.example", "localhost", -1)).isFalse();
        assertThat(CONSOLE.refuses("https://app.example.org", "localhost", -1)).isFalse();
    }

    @Test
    void theServicesOwnOriginIsLetThrough() {
        assertThat(CONSOLE.refuses("http://localhost:8081", "localhost", 8081)).isFalse();
        assertThat(CONSOLE.refuses("https://LOCALHOST", "localhost", -1)).isFalse();
        assertThat(CONSOLE.refuses("http://[::1]:8081", "::1", 8081)).isFalse();
        assertThat(CONSOLE.refuses("http://[::1]:8081", "[::1]", 8081)).isFalse();
        assertThat(CrossOrigins.of(true, Optional.empty()).refuses("http://transcripts.internal:8081", "transcripts.internal", 8081)).isFalse();
    }

    @Test
    void aWildcardLetsEveryOriginThrough() {
        assertThat(CrossOrigins.of(true, Optional.of(List.of("*"))).refuses("has spaces", "localhost", -1)).isFalse();
        assertThat(CrossOrigins.of(true, Optional.of(List.of("/.*/"))).refuses("null", "localhost", -1)).isFalse();
    }

    @Test
    void anotherOriginOrOneThatIsNoOriginIsRefused() {
        for (String origin : List.of("http://elsewhere.example", "http://console.example.evil", "null", "", "has spaces", "été",
                "x".repeat(300), "Bearer eyJ", "a.b.c", "localhost", "//localhost", "http://")) {
            assertThat(CONSOLE.refuses(origin, "localhost", -1)).as(origin).isTrue();
        }
        assertThat(CrossOrigins.of(true, Optional.empty()).refuses("http://console.example", "localhost", -1)).isTrue();
    }

    @Test
    void anotherPortOfTheSameHostIsRefused() {
        assertThat(CONSOLE.refuses("http://localhost:3000", "localhost", 8081)).isTrue();
        assertThat(CONSOLE.refuses("http://[::1]:9999", "::1", 8081)).isTrue();
        assertThat(CONSOLE.refuses("http://localhost:1", "localhost", -1)).isTrue();
        assertThat(CONSOLE.refuses("http://localhost", "localhost", 8081)).isTrue();
        assertThat(CONSOLE.refuses("http://localhost:8081", "localhost", 8081)).isFalse();
        assertThat(CONSOLE.refuses("http://localhost:80", "localhost", -1)).isFalse();
        assertThat(CONSOLE.refuses("https://localhost", "localhost", 443)).isFalse();
        assertThat(CONSOLE.refuses("http://localhost", "localhost", -1)).isFalse();
    }

    @Test
    void theAuthorityOfAnOriginIsReadWithoutPathOrUserInfo() {
        assertThat(CrossOrigins.Authority.of("http://a.example:8080")).isEqualTo(new CrossOrigins.Authority("a.example", 8080));
        assertThat(CrossOrigins.Authority.of("https://a.example/path?q#f")).isEqualTo(new CrossOrigins.Authority("a.example", -1));
        assertThat(CrossOrigins.Authority.of("http://user:pw@a.example:81/")).isEqualTo(new CrossOrigins.Authority("a.example", 81));
        assertThat(CrossOrigins.Authority.of("http://[::1]:80")).isEqualTo(new CrossOrigins.Authority("[::1]", 80));
        assertThat(CrossOrigins.Authority.of("http://[::1]")).isEqualTo(new CrossOrigins.Authority("[::1]", -1));
        for (String noOrigin : List.of("http://", "://a", "null", "http://a:", "http://a:b", "http://a:123456", "http://:80")) {
            assertThat(CrossOrigins.Authority.of(noOrigin)).as(noOrigin).isNull();
        }
    }
}
