package dev.switchboard.transcripts.api;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.http.UnexpectedFailureResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiTest {
    @Test
    void everyEndpointIsDocumentedWithItsProblems() {
        JsonPath openapi = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(openapi.getMap("paths")).containsKeys("/v1/sessions", "/v1/sessions/{room}", "/v1/sessions/{room}/transcript",
                "/v1/sessions/{room}/transcript/stream", "/v1/search");
        assertThat(openapi.getMap("paths.'/v1/sessions/{room}/transcript'.get.responses.'200'.content"))
                .containsKeys("application/json", "text/plain", "application/x-subrip", "text/vtt");
        assertThat(openapi.getMap("paths.'/v1/search'.get.responses.'400'.content")).containsKey("application/problem+json");
        assertThat(openapi.getMap("paths.'/v1/sessions/{room}'.delete.responses")).containsKey("200");
        for (String operation : List.of("'/v1/sessions'.get", "'/v1/sessions/{room}'.get", "'/v1/sessions/{room}'.delete",
                "'/v1/sessions/{room}/transcript'.get", "'/v1/sessions/{room}/transcript/stream'.get", "'/v1/search'.get", "'/v1/audit'.get")) {
            assertThat(openapi.getString("paths." + operation + ".responses.'503'.description")).as(operation)
                    .contains("database-unavailable").contains("token-keys-unavailable").contains("Retry-After");
        }
    }

    @Test
    void listsOnlyTheServicesOwnRoutes() {
        JsonPath openapi = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = openapi.getMap("paths");
        // Nothing from a library on the classpath: the schema-registry client's jar carries Apicurio's API in a static
        // META-INF/openapi.json (/groups/..., /admin/..., /ids/..., ...). The test-support jar adds one route of its own.
        assertThat(paths.keySet())
                .isNotEmpty()
                .allSatisfy(path -> assertThat(path).as("a path of the transcript service's own")
                        .matches("/v1/.+|" + UnexpectedFailureResource.PATH)
                        .doesNotContainIgnoringCase("registry").doesNotContainIgnoringCase("apis"));
    }
}
