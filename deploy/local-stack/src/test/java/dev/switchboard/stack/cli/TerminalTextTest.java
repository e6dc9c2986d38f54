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
        String highlighted = Render.highlighted("my <mark>order</mark> \u001b]52;c;cGF5bG9hZA==\u0007");
        assertThat(TerminalText.shown(highlighted))
                .isEqualTo("my " + Render.BOLD + "order" + Render.PLAIN + " <U+001B>]52;c;cGF5bG9hZA==<U+0007>");
    }

    @Test
    void everyControlThatMovesOrReordersIsShownAsItsCodePoint() {
        assertThat(TerminalText.shown("a\rb\bc\u007fd\u0085e\u2029f\u2066g\u202Dh"))
                .isEqualTo("a<U+000D>b<U+0008>c<U+007F>d<U+0085>e<U+2029>f<U+2066>g<U+202D>h");
    }
}
