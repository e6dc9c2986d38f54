package dev.switchboard.testing;

import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every Switchboard service offers: health (live, ready, started) that checks its real dependencies,
 * Prometheus metrics and an OpenAPI document. A service's test extends this and is annotated {@code @QuarkusTest}
 * with the test resources it needs.
 */
public abstract class ServiceConventionsTest {

    /** The names of the readiness checks this service must report UP (e.g. the Kafka and database checks). */
    protected abstract List<String> requiredReadinessChecks();

    @Test
    void readinessChecksTheRealDependencies() {
        var body = RestAssured.get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(body.getString("status")).isEqualTo("UP");
        List<String> up = body.getList("checks.findAll { it.status == 'UP' }.name");
        assertThat(up).containsAll(requiredReadinessChecks());
    }

    @Test
    void livenessAndStartupAreReported() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/started").then().statusCode(200);
    }

    @Test
    void prometheusMetricsAreServed() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void anOpenApiDocumentIsServed() {
        String openapi = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(openapi).contains("\"openapi\"");
    }
}
