package dev.switchboard.worker.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transfer destinations listed in one setting, {@code switchboard.transfer.destinations} (SWITCHBOARD_TRANSFER_DESTINATIONS,
 * as the issue writes it), next to a per-name one: the model is offered every name, and the per-name setting wins over
 * the list entry of the same name. (One setting per destination only: {@link TransferToolTest}.)
 */
@QuarkusTest
@TestProfile(TransferToolListTest.ListedDestinations.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class TransferToolListTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class ListedDestinations implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.transfer.destinations", " Billing=tel:+15550199, support=sip:support@pbx.example.com",
                    "switchboard.transfer.destinations.support", "sip:helpdesk@pbx.example.com");
        }
    }

    @Test
    void theModelIsOfferedTheListedDestinationsAndAPerNameSettingWins() {
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        String room = TransferToolTest.startPhoneCall("transfer-list");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            llm.replyWithTool("", "transfer_call", Map.of("destination", "support")).replyText("");
            given().contentType(ContentType.JSON).body(Map.of("text", "Support, please.")).post("/v1/simulated-calls/{room}/utterances", room)
                    .then().statusCode(200);

            JsonNode tool = TransferToolTest.tool(llm.requests().getFirst(), "transfer_call");
            assertThat(tool.path("function").path("parameters").path("properties").path("destination").path("enum"))
                    .extracting(JsonNode::asText).containsExactly("billing", "support");

            CallControlRequest first = callControl.await(r -> room.equals(r.getRoom()), WAIT);
            assertThat(first.getPayload()).isInstanceOfSatisfying(TransferRequested.class,
                    t -> assertThat(t.getTransferTo()).as("the per-name setting, not the list's entry").isEqualTo("sip:helpdesk@pbx.example.com"));
        }
    }
}
