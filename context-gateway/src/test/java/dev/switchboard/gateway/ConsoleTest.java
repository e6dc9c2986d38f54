package dev.switchboard.gateway;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** The web console is served at /console/ with its bundled script and styles; its settings need a token. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleTest {

    @Test
    void thePageAndItsBundleAreServedWithoutAToken() {
        String page = given().filter(TestTokens.withoutToken()).get("/console/").then().statusCode(200)
                .contentType("text/html").extract().asString();
        assertThat(page).contains("<title>Switchboard console</title>", "id=\"main\"");
        // Its icon is in the page (the CSP's img-src allows data:): the browser asks for no /favicon.ico, which is not served.
        assertThat(page).containsPattern("<link rel=\"icon\" href=\"data:image/svg\\+xml,");
        Matcher script = Pattern.compile("src=\"(/console/bundle/[^\"]+\\.js)\"").matcher(page);
        Matcher style = Pattern.compile("href=\"(/console/bundle/[^\"]+\\.css)\"").matcher(page);
        assertThat(script.find()).as("the page loads the bundled script: " + page).isTrue();
        assertThat(style.find()).as("the page loads the bundled styles: " + page).isTrue();
        String js = given().filter(TestTokens.withoutToken()).get(script.group(1)).then().statusCode(200).extract().asString();
        assertThat(js).contains("/v1/stream", "text/event-stream", "#token=");
        given().filter(TestTokens.withoutToken()).get(style.group(1)).then().statusCode(200).contentType("text/css");
        // The bundler links a source map from each; Vert.x knows no media type for .map files.
        Matcher sourceMap = Pattern.compile("sourceMappingURL=(/console/bundle/\\S+\\.map)").matcher(js);
        assertThat(sourceMap.find()).as("the script links its source map").isTrue();
        given().filter(TestTokens.withoutToken()).get(sourceMap.group(1)).then().statusCode(200)
                .contentType("application/json").header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void thePageIsNeverFramedAndRunsAndCallsOnlyWhatItShould() {
        var page = given().filter(TestTokens.withoutToken()).get("/console/").then().statusCode(200).extract();
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "script-src 'self'", "object-src 'none'",
                "connect-src 'self' http://transcripts.example;", "img-src 'self' data:;");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Cache-Control")).as("asked for again after an upgrade").isEqualTo("no-cache");
        // What the policy allows is all the page needs: no inline script or style of its own.
        assertThat(page.asString()).containsPattern("<script[^>]*\\ssrc=\"/console/bundle/").doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContain("<style").doesNotContain(" style=\"").doesNotContainPattern("\\son[a-z]+=\"");

        given().filter(TestTokens.withoutToken()).config(RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .get("/console").then().statusCode(302).header("Location", endsWith("/console/"));
    }

    @Test
    void thePagesAreOnlyRead() {
        for (String path : new String[] {"/console/", "/console", "/console.html"}) {
            given().filter(TestTokens.withoutToken()).body("x").post(path).then().statusCode(405)
                    .contentType("application/problem+json").header("Allow", "GET, HEAD").body("detail", containsString("use GET"));
        }
        given().filter(TestTokens.withoutToken()).delete("/console/").then().statusCode(405);
        given().filter(TestTokens.withoutToken()).head("/console/").then().statusCode(200);
    }

    @Test
    void theSettingsTellTheTokensScopesAndWhereTranscriptsAre() {
        given().get("/console/config").then().statusCode(200)
                .body("subject", is("test-admin"))
                .body("tenant", is("default"))
                .body("transcriptsUrl", is("http://transcripts.example"))
                .body("scopes", hasItems("calls:read", "calls:control", "transcripts:read"));
        given().header("Authorization", TestTokens.bearer(TestTokens.token().scopes("calls:read").sign()))
                .get("/console/config").then().statusCode(200).body("scopes", contains("calls:read"));
        given().filter(TestTokens.withoutToken()).get("/console/config").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
