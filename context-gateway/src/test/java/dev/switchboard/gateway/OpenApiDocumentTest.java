package dev.switchboard.gateway;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.http.UnexpectedFailureResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes every endpoint with the answers it can give. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiDocumentTest {

    @Test
    void everyEndpointIsDocumentedWithItsStatusCodes() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = openapi.getMap("paths");
        assertThat(paths).containsKeys("/v1/sessions", "/v1/sessions/{room}", "/v1/commands/{commandId}",
                "/v1/sessions/{room}/context", "/v1/sessions/{room}/say", "/v1/sessions/{room}/interrupt",
                "/v1/sessions/{room}/instructions", "/v1/sessions/{room}/hangup");
        for (String command : new String[]{"context", "say", "interrupt", "instructions", "hangup"}) {
            Map<String, Object> responses = openapi.getMap("paths.'/v1/sessions/{room}/" + command + "'.post.responses");
            assertThat(responses).as(command).containsKeys("200", "202", "400", "404", "409", "504");
        }
        assertThat(openapi.getMap("paths.'/v1/sessions/{room}/context'.post.requestBody.content.'application/json'.schema"))
                .containsEntry("$ref", "#/components/schemas/InjectContextRequest");
        assertThat(openapi.getList("paths.'/v1/sessions/{room}/say'.post.parameters.name"))
                .contains("wait", "sessionId", "Idempotency-Key", "X-Switchboard-Issuer");
        assertThat(openapi.getMap("components.schemas")).containsKeys("Problem", "Command", "Session");
    }

    @Test
    void placingACallListsEveryAnswerItGivesAndTheIssuerHeaderAsTheLabelItIs() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(openapi.getMap("paths.'/v1/calls'.post.responses")).containsKeys("200", "202", "400", "406", "409", "415", "503");
        List<Map<String, Object>> parameters = openapi.getList("paths.'/v1/calls'.post.parameters");
        assertThat(parameters).filteredOn(p -> "X-Switchboard-Issuer".equals(p.get("name"))).singleElement()
                .extracting(p -> (String) p.get("description")).asString().contains("label").contains("token's subject")
                .doesNotContain("default http");
    }

    @Test
    void requestBodiesTakeOnlyTheFieldsTheyNameAsTheServiceDoes() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String request : new String[]{"InjectContextRequest", "PlaceCallRequest", "TransferRequest"}) {
            assertThat(openapi.getMap("components.schemas." + request)).as(request).containsEntry("additionalProperties", false);
        }
        assertThat(openapi.getMap("components.schemas.PlaceCallRequest.properties.metadata.additionalProperties"))
                .as("a dial's metadata is a map of the caller's own keys").isNotNull();
        assertThat(openapi.getMap("components.schemas")).as("any JSON value, not Jackson's JsonNode class described")
                .doesNotContainKey("JsonNode");
        assertThat(openapi.getMap("components.schemas.AnyValue")).doesNotContainKey("properties");
        assertThat(openapi.getMap("components.schemas.Session")).as("answers may grow fields; clients must not refuse them")
                .doesNotContainKey("additionalProperties");
    }

    @Test
    void listsOnlyTheGatewaysOwnRoutes() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = openapi.getMap("paths");
        // Nothing from a library on the classpath: the schema-registry client's jar carries Apicurio's API in a static
        // META-INF/openapi.json (/groups/..., /admin/..., /ids/..., ...). The test-support jar adds one route of its own.
        assertThat(paths.keySet())
                .isNotEmpty()
                .allSatisfy(path -> assertThat(path).as("a path of the gateway's own")
                        .matches("/v1/.+|/console/.+|/asyncapi\\.yaml|" + UnexpectedFailureResource.PATH)
                        .doesNotContainIgnoringCase("registry").doesNotContainIgnoringCase("apis"));
    }

    @Test
    void everyOperationNeedsTheBearerTokenTheServiceEnforcesExceptThePublishedContract() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(openapi.getMap("components.securitySchemes.bearer")).containsEntry("type", "http").containsEntry("scheme", "bearer")
                .containsEntry("bearerFormat", "JWT");
        assertThat(openapi.getList("security")).containsExactly(Map.of("bearer", List.of()));
        for (String operation : new String[]{"'/v1/sessions/{room}/say'.post", "'/v1/sessions'.get", "'/v1/calls'.post"}) {
            assertThat(openapi.getMap("paths." + operation + ".responses")).as(operation).containsKeys("401", "403");
            assertThat(openapi.getString("paths." + operation + ".responses.'401'.content.'application/problem+json'.schema.$ref"))
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(openapi.getList("paths.'/asyncapi.yaml'.get.security")).as("the contract is open, like the OpenAPI document").isEmpty();
        assertThat(openapi.getMap("paths.'/asyncapi.yaml'.get.responses")).doesNotContainKey("401");
        assertThat(openapi.getMap("paths.'/asyncapi.yaml'.get")).doesNotContainKey("x-switchboard-no-token");
    }
}
