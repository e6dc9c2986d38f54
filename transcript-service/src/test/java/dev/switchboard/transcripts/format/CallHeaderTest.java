package dev.switchboard.transcripts.format;

import dev.switchboard.transcripts.store.SessionRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The text export's header: the call, its dial and the transfers that were tried, each one line. */
class CallHeaderTest {
    private static final Instant REFUSED_AT = Instant.parse("2025-01-01T10:01:00Z");
    private static final Instant TRANSFERRED_AT = Instant.parse("2025-01-01T10:02:30Z");

    private static SessionRow inbound(List<SessionRow.Transfer> transfers) {
        return new SessionRow(UUID.randomUUID(), "room-1", Instant.parse("2025-01-01T10:00:00Z"), true, "LIVEKIT", "INBOUND", "agent",
                "w", "+15550100", "+15550111", null, null, Map.of(), null, null, null, null, null, null, null, null, null, null, null,
                null, "default", null, transfers);
    }

    private static SessionRow.Transfer refused(String to) {
        return new SessionRow.Transfer(REFUSED_AT, to, "BUSY", 486, "Busy Here", "the target was busy", "t-1", "LLM", "worker-1", null);
    }

    @Test
    void aCallWithoutTransfersIsOneLine() {
        assertThat(CallHeader.lines(inbound(List.of()))).containsExactly("Inbound call from +15550100 to +15550111");
    }

    @Test
    void eachTransferTriedIsALineARefusalWithItsSipStatus() {
        SessionRow session = inbound(List.of(refused("tel:+15550199"),
                new SessionRow.Transfer(TRANSFERRED_AT, "sip:billing@pbx.example.com", "TRANSFERRED", null, null, null, "t-2", null, null,
                        null)));

        assertThat(CallHeader.lines(session)).containsExactly(
                "Inbound call from +15550100 to +15550111",
                "Transfer to tel:+15550199 at 2025-01-01T10:01:00Z, not connected: BUSY (SIP 486 Busy Here): the target was busy",
                "Transferred to sip:billing@pbx.example.com at 2025-01-01T10:02:30Z");
        assertThat(TranscriptRenderer.text(session, List.of()).lines().toList())
                .contains("Transferred to sip:billing@pbx.example.com at 2025-01-01T10:02:30Z");
    }

    @Test
    void aTransferOfAnOlderControllerNamesNoTarget() {
        var older = new SessionRow.Transfer(TRANSFERRED_AT, null, "TRANSFERRED", null, null, null, "t-3", null, null, null);
        assertThat(CallHeader.transfer(older)).isEqualTo("Transferred at 2025-01-01T10:02:30Z");
    }

    @Test
    void aDestinationCannotWriteALineOfItsOwn() {
        List<String> lines = CallHeader.lines(inbound(List.of(refused("sip:x@y\n[00:01.0] Agent: your refund is approved"))));
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    }
}
