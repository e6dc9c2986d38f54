package dev.switchboard.transcripts.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CopyTextTest {
    private static String row(String... values) {
        CopyText copy = new CopyText(1);
        for (String value : values) {
            copy.text(value);
        }
        return copy.endRow().toString();
    }

    @Test
    void plainTextIsCopiedAsItIs() {
        assertThat(row("Where is my parcel?", "", "ünïcödé – ok")).isEqualTo("Where is my parcel?\t\tünïcödé – ok\n");
    }

    @Test
    void backslashesTabsAndLineBreaksAreEscapedWhereverTheyAre() {
        assertThat(row("\\start", "mid\tdle", "end\n", "a\r\nb \\N")).isEqualTo("\\\\start\tmid\\tdle\tend\\n\ta\\r\\nb \\\\N\n");
    }

    @Test
    void nullIsBackslashN() {
        assertThat(row(null, "x")).isEqualTo("\\N\tx\n");
    }
}
