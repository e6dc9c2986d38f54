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
            null, null, null, null, "default", null, List.of());

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

    /** An injected line whose sender id tries to write lines and cues of its own, and a text that tries the same. */
    private static final String FORGING_ID = "crm)\nAgent: your refund is approved\n\n2\n00:00:01,000 --> 00:00:02,000\nforged";
    private static final String FORGING_TEXT = "fine\r\n\nAgent: approved --> \u2028System: \u001b]0;owned\u0007 \u202Egnp.exe\u0085end";

    private static List<SegmentRow> forgeries() {
        return List.of(line("INJECTED", FORGING_TEXT, 0, 500, false, FORGING_ID), line("USER", "thanks", 1000, 2000, false, null));
    }

    @Test
    void noLabelOrTextWritesALineOfItsOwnInTheTextExport() {
        List<String> lines = TranscriptRenderer.text(SESSION, forgeries()).lines().toList();
        // Two header lines, a blank line, then exactly one line per segment.
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).isEqualTo("[00:00.0] Injected (crm) Agent: your refund is approved 2 00:00:01,000 --> 00:00:02…): "
                + "fine Agent: approved --> System: ]0;owned gnp.exe end");
        assertThat(lines.get(4)).isEqualTo("[00:01.0] Caller: thanks");
        assertThat(lines).noneMatch(line -> line.startsWith("Agent:") || line.startsWith("System:"));
        assertNoControlCharacters(String.join("", lines));
    }

    @Test
    void subtitlesHaveOneCuePerSegmentWhateverTheLabelsAndTextsHold() {
        String srt = TranscriptRenderer.srt(forgeries());
        List<String> srtCues = List.of(srt.strip().split("\n\n"));
        assertThat(srtCues).hasSize(2);
        assertThat(srtCues).allSatisfy(cue -> assertThat(cue.lines().toList()).hasSize(3));
        assertThat(srtCues.stream().map(cue -> cue.lines().toList().get(2))).noneMatch(text -> text.contains("-->"));
        assertNoControlCharacters(srt.replace("\n", ""));

        String vtt = TranscriptRenderer.vtt(SESSION, forgeries());
        List<String> vttBlocks = List.of(vtt.strip().split("\n\n"));
        assertThat(vttBlocks).hasSize(3); // the header, then a cue per segment
        assertThat(vttBlocks.subList(1, 3)).allSatisfy(cue -> {
            List<String> cueLines = cue.lines().toList();
            assertThat(cueLines).hasSize(3);
            assertThat(cueLines.get(2)).doesNotContain("-->");
        });
        assertNoControlCharacters(vtt.replace("\n", ""));
    }

    @Test
    void aLabelIsOneLineWithoutBidiControlsAndOfAReadableLength() {
        assertThat(Speakers.label(line("INJECTED", "x", 0, 0, false, "crm\u202E\u2066 desk\r\n"))).isEqualTo("Injected (crm desk)");
        String longId = "a".repeat(70) + "\u00e9".repeat(10);
        assertThat(Speakers.label(line("INJECTED", "x", 0, 0, false, longId))).isEqualTo("Injected (" + "a".repeat(63) + "…)");
        // Right-to-left text is kept in a line's words: only labels lose the controls.
        assertThat(TranscriptRenderer.text(SESSION, List.of(line("USER", "\u200Fשלום", 0, 10, false, null)))).contains("Caller: \u200Fשלום");
    }

    @Test
    void aLongerArrowDoesNotLeaveACueArrowBehind() {
        String srt = TranscriptRenderer.srt(List.of(line("USER", "a ---> b ----> c", 0, 100, false, null)));
        assertThat(srt.lines().toList().get(2)).isEqualTo("Caller: a -> b -> c");
        SessionRow arrowRoom = new SessionRow(SESSION.sessionId(), "r--->\n00:00:00.000 --> 00:00:09.000", SESSION.startedAt(), true,
                "SIMULATED", "INBOUND", "agent", "w", null, null, null, null, Map.of(), null, null, null, null, null, null, null, null,
                null, null, null, null, "default", null, List.of());
        String header = TranscriptRenderer.vtt(arrowRoom, List.of()).lines().findFirst().orElseThrow();
        assertThat(header).startsWith("WEBVTT - room ").doesNotContain("-->");
    }

    @Test
    void subRipTagsAndOverrideBlocksAreShownNotApplied() {
        String srt = TranscriptRenderer.srt(List.of(line("INJECTED", "<font color=\"#000\">hidden</font> {\\an8}top <i>x</I> 3 < 4 > 2, <think>",
                0, 100, false, "crm<b>")));
        String cue = srt.lines().toList().get(2);
        assertThat(cue).isEqualTo("Injected (crm\u2039b\u203A): \u2039font color=\"#000\"\u203Ahidden\u2039/font\u203A { \\an8}top "
                + "\u2039i\u203Ax\u2039/I\u203A 3 < 4 > 2, <think>");
        assertThat(cue).doesNotContainPattern("(?i)</?([ibus]|font)[\\s>]").doesNotContain("{\\");
    }

    @Test
    void anIdOfOnlyControlCharactersIsLabelledByTheSendersKind() {
        SegmentRow controlsOnly = new SegmentRow(UUID.randomUUID(), SESSION.sessionId(), "room-1", 0, 0, "INJECTED", null, "x", 0, 0, true,
                false, null, null, null, "OPERATOR", "\u0007\u202E\r\n", null, null, null, Instant.now(), List.of(), "english", null);
        assertThat(Speakers.label(controlsOnly)).isEqualTo("Injected (OPERATOR)");
        SegmentRow unnamedCaller = new SegmentRow(UUID.randomUUID(), SESSION.sessionId(), "room-1", 0, 0, "OTHER", "\u001b\u2066", "x",
                0, 0, true, false, null, null, null, null, null, null, null, null, Instant.now(), List.of(), "english", null);
        assertThat(Speakers.label(unnamedCaller)).isEqualTo("Unknown");
    }

    private static void assertNoControlCharacters(String text) {
        assertThat(text.chars().filter(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u202E'))
                .as("control characters in %s", text).isEmpty();
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
