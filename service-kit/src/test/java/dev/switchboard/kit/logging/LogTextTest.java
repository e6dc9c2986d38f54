package dev.switchboard.kit.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void aLineFeedCannotStartALineOfTheSendersChoosing() {
        String forged = "inj\n2026-12-07 19:20:00,000 ERROR [dev.switchboard.FORGED] (main) forged\r\n";
        String shown = LogText.of(forged);
        assertThat(shown).doesNotContain("\n").doesNotContain("\r")
                .isEqualTo("inj\\u000a2026-12-07 19:20:00,000 ERROR [dev.switchboard.FORGED] (main) forged\\u000d\\u000a");
    }

    @Test
    void nulEscapesAndBidiOverridesAreShownNotActedOn() {
        assertThat(LogText.of("a\0b")).isEqualTo("a\\u0000b");
        assertThat(LogText.of("\u001b[31mred")).isEqualTo("\\u001b[31mred");
        assertThat(LogText.of("\u202enimda")).isEqualTo("\\u202enimda");
        assertThat(LogText.of("x\u2028y")).isEqualTo("x\\u2028y");
        assertThat(LogText.of("lone\ud800")).isEqualTo("lone\\ud800");
        assertThat(LogText.of("\u0085next")).isEqualTo("\\u0085next");
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        assertThat(LogText.of("room-42 Müller 電話 😀")).isEqualTo("room-42 Müller 電話 😀");
        assertThat(LogText.of(null)).isEqualTo("null");
        assertThat(LogText.of(42)).isEqualTo("42");
    }

    @Test
    void aLongValueIsCut() {
        String shown = LogText.of("x".repeat(10_000));
        assertThat(shown).startsWith("x".repeat(LogText.MAX_LENGTH) + "...").endsWith("(10000 characters)");
        assertThat(shown.length()).isLessThan(LogText.MAX_LENGTH + 30);
        assertThat(LogText.of("x".repeat(LogText.MAX_LENGTH))).isEqualTo("x".repeat(LogText.MAX_LENGTH));
    }
}
