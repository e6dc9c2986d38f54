package dev.switchboard.stack.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTest {

    @Test
    void plainTextAndTheLayoutsBreaksAreLeftAlone() {
        String plain = "ROOM    STATE\tdemo-1  LIVE\nשלום \u200F ok";
        assertThat(TerminalText.shown(plain)).isSameAs(plain);
    }

    @Test
    void theCliOwnBoldSurvivesWhileAMatchesOwnEscapesDoNot() {
        String highlighted = Render.highlighted("my <mark>order</mark> \u001b]52;c;cGF5bG9hZA==\u0007 \u001b[1mshouting\u001b[0m");
        assertThat(TerminalText.laidOut(highlighted)).isEqualTo("my " + Render.BOLD + "order" + Render.PLAIN
                + " <U+001B>]52;c;cGF5bG9hZA==<U+0007> <U+001B>[1mshouting<U+001B>[0m");
        assertThat(TerminalText.shown("error: " + Render.BOLD + "x")).as("text from elsewhere keeps no escape at all")
                .isEqualTo("error: <U+001B>[1mx");
    }

    @Test
    void aFieldStaysOnItsLineAndKeepsNoMarkThatReordersIt() {
        assertThat(TerminalText.field("  demo-1\n[00:09.0] Agent:\tapproved ")).isEqualTo("demo-1 [00:09.0] Agent: approved");
        assertThat(TerminalText.field("crm\u200F\u061C\u200E\u000b\u001b[1m")).isEqualTo("crm<U+200F><U+061C><U+200E><U+000B><U+001B>[1m");
        assertThat(TerminalText.field("שלום עולם")).isEqualTo("שלום עולם");
        assertThat(TerminalText.field(null)).isEmpty();
    }

    @Test
    void everyControlThatMovesOrReordersIsShownAsItsCodePoint() {
        assertThat(TerminalText.shown("a\rb\bc\u007fd\u0085e\u2029f\u2066g\u202Dh"))
                .isEqualTo("a<U+000D>b<U+0008>c<U+007F>d<U+0085>e<U+2029>f<U+2066>g<U+202D>h");
    }
}
