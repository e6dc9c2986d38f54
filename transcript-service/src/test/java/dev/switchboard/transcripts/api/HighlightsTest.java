package dev.switchboard.transcripts.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HighlightsTest {
    @Test
    void marksTheMatchedWordsOfTheOriginalTextAndEscapesTheRest() {
        String headline = "Send the \u0001refunds\u0002 to my  e-\u0001mail\u0002";
        assertThat(Highlights.html("Send the <b>refunds</b> to my e-mail & \"soon\"", headline))
                .isEqualTo("Send the &lt;b&gt;<mark>refunds</mark>&lt;/b&gt; to my e-<mark>mail</mark> &amp; &quot;soon&quot;");
        assertThat(Highlights.html("Größe Rechnung", "Größe \u0001Rechnung\u0002")).isEqualTo("Größe <mark>Rechnung</mark>");
        assertThat(Highlights.html("no match", null)).isEqualTo("no match");
    }
}
