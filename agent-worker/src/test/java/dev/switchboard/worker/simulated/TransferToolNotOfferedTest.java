package dev.switchboard.worker.simulated;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without transfer destinations (the default configuration) the model is not offered {@code transfer_call}, and a
 * model that calls it anyway transfers nobody. With destinations: {@link TransferToolTest}.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class TransferToolNotOfferedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void withoutDestinationsTheModelCannotTransfer() {
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        String room = TransferToolTest.startPhoneCall("no-transfer");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            llm.replyWithTool("", "transfer_call", Map.of("destination", "sales")).replyText("I cannot transfer you.");
            given().contentType(ContentType.JSON).body(Map.of("text", "Transfer me to sales.")).post("/v1/simulated-calls/{room}/utterances", room)
                    .then().statusCode(200);

            List<String> offered = StreamSupport.stream(llm.requests().getFirst().path("tools").spliterator(), false)
                    .map(t -> t.path("function").path("name").asText()).toList();
            assertThat(offered).contains("end_call").doesNotContain("transfer_call");
            assertThat(llm.lastMessages()).filteredOn(m -> m.path("role").asText().equals("tool"))
                    .extracting(m -> m.path("content").asText()).containsExactly("There is no tool named transfer_call.");

            // Whatever reaches the broker is on it before the turn ends: the first request the call controller gets for
            // this room is the hang-up the model asks for next, not a transfer.
            llm.replyWithTool("Goodbye!", "end_call", Map.of("reason", "caller is done"));
            given().contentType(ContentType.JSON).body(Map.of("text", "Never mind, bye.")).post("/v1/simulated-calls/{room}/utterances", room)
                    .then().statusCode(200);
            CallControlRequest first = callControl.await(r -> room.equals(r.getRoom()), WAIT);
            assertThat(first.getPayload()).isInstanceOf(HangupRequested.class);
        }
    }
}
