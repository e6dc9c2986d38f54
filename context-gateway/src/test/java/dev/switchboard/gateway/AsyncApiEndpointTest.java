package dev.switchboard.gateway;

import dev.switchboard.schemas.asyncapi.AsyncApiDocument;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway serves the AsyncAPI document the schemas build generated, unchanged. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class AsyncApiEndpointTest {

    @Test
    void servesTheGeneratedAsyncApiDocument() throws Exception {
        String generated;
        try (InputStream in = AsyncApiDocument.class.getClassLoader().getResourceAsStream(AsyncApiDocument.RESOURCE)) {
            assertThat(in).isNotNull();
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Response response = given().get("/asyncapi.yaml");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/yaml");
        assertThat(response.asString()).isEqualTo(generated)
                .startsWith("asyncapi: 3.0.0")
                .contains("address: switchboard.session-commands", "address: switchboard.command-results.dlq");
    }

    @Test
    void isListedInTheOpenApiDocument() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(openapi.getMap("paths")).containsKey("/asyncapi.yaml");
    }
}
