package dev.switchboard.worker.kafka;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

/** The worker is ready, and takes calls, only once its command consumer has its partitions and positions. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class CommandsPositionedTest {
    @Inject
    @Identifier(CommandsPositioned.NAME)
    CommandsPositioned commands;

    @Test
    void readinessReportsTheCommandConsumerOnceItIsPositioned() throws Exception {
        commands.positioned().get(30, TimeUnit.SECONDS);
        assertThat(commands.call().getStatus().name()).isEqualTo("UP");
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("session commands"));
    }
}
