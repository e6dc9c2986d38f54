package dev.switchboard.transcripts.format;

import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SessionRow;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptRendererTest {
    private static final SessionRow SESSION = new SessionRow(UUID.randomUUID(), "room-1", Instant.parse("2025-01-01T10:00:00Z"), true,
            "SIMULATED", "INBOUND", "agent", "w", null, null, null, null, Map.of(), null, null, null, null, null, null, null, null,
            null, null, null, null, "default");

    private static SegmentRow line(String role, String text, long start, long end, boolean interrupted, String injectedBy) {
        return new SegmentRow(UUID.randomUUID(), SESSION.sessionId(), "room-1", 0, 0, role, null, text, start, end, true, interrupted,
                null, null, null, injectedBy == null ? null : "SYSTEM", injectedBy, null, null, null, Instant.now(), List.of(), "english", null);
    }

    @Test
    void textTimestampsSwitchToHoursAfterTheFirstHour() {
        String text = TranscriptRenderer.text(SESSION, List.of(line("USER", "hi\nthere", 1250, 2000, false, null),
                line("AGENT", "so", 3_600_000 + 61_000, 3_600_000 + 62_000, true, null)));
        assertThat(text.lines().toList()).contains("[00:01.2] Caller: hi there", "[1:01:01.0] Agent: so [interrupted]");
        assertThat(text).contains("still live");
    }

    @Test
    void subtitleTimecodesAndMinimumDuration() {
        assertThat(Timecodes.cue(3_723_004, ',')).isEqualTo("01:02:03,004");
        assertThat(Timecodes.cue(-5, '.')).isEqualTo("00:00:00.000");
        assertThat(TranscriptRenderer.cueEnd(line("INJECTED", "x", 5000, 5000, false, "crm"))).isEqualTo(6000);
        assertThat(TranscriptRenderer.cueEnd(line("USER", "x", 5000, 5300, false, null))).isEqualTo(5300);
        String srt = TranscriptRenderer.srt(List.of(line("USER", "a --> b", 0, 100, false, null)));
        assertThat(srt).isEqualTo("1\n00:00:00,000 --> 00:00:00,100\nCaller: a -> b\n\n");
    }

    @Test
    void speakerLabels() {
        assertThat(Speakers.label(line("INJECTED", "x", 0, 0, false, "crm"))).isEqualTo("Injected (crm)");
        assertThat(Speakers.label(line("INJECTED", "x", 0, 0, false, null))).isEqualTo("Injected (unknown)");
        assertThat(Speakers.label(line("SYSTEM", "x", 0, 0, false, null))).isEqualTo("System");
    }

    @Test
    void negotiationFollowsTheClientsPreference() {
        assertThat(TranscriptFormat.negotiate(List.of())).contains(TranscriptFormat.JSON);
        assertThat(TranscriptFormat.negotiate(List.of(MediaType.valueOf("text/vtt"), MediaType.valueOf("text/plain")))).contains(TranscriptFormat.VTT);
        assertThat(TranscriptFormat.negotiate(List.of(MediaType.valueOf("text/*")))).contains(TranscriptFormat.TEXT);
        assertThat(TranscriptFormat.negotiate(List.of(MediaType.valueOf("application/srt")))).contains(TranscriptFormat.SRT);
        assertThat(TranscriptFormat.negotiate(List.of(MediaType.valueOf("image/png")))).isEmpty();
        assertThat(TranscriptFormat.byParameter(" SRT ")).contains(TranscriptFormat.SRT);
    }
}
