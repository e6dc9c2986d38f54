package dev.switchboard.kit.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptHeaderTest {

    @Test
    void aBlankHeaderMeansAnything() {
        assertThat(AcceptHeader.read(List.of(""))).isInstanceOf(AcceptHeader.Anything.class);
        assertThat(AcceptHeader.read(List.of("  ", " , "))).isInstanceOf(AcceptHeader.Anything.class);
    }

    @Test
    void wellFormedRangesAreKeptAsWritten() {
        assertThat(AcceptHeader.read(List.of("application/json"))).isEqualTo(new AcceptHeader.Ranges("application/json", false));
        assertThat(AcceptHeader.read(List.of("text/vtt;q=0.9, */*;q=0.1")))
                .isEqualTo(new AcceptHeader.Ranges("text/vtt;q=0.9, */*;q=0.1", false));
        assertThat(AcceptHeader.read(List.of("text/*; charset=\"utf-8\"; q=1.000")))
                .isEqualTo(new AcceptHeader.Ranges("text/*; charset=\"utf-8\"; q=1.000", false));
    }

    @Test
    void malformedRangesAreLeftOut() {
        assertThat(AcceptHeader.read(List.of("application/json, foo, */")))
                .isEqualTo(new AcceptHeader.Ranges("application/json", true));
        assertThat(AcceptHeader.read(List.of("text/plain", "text/vtt")))
                .isEqualTo(new AcceptHeader.Ranges("text/plain, text/vtt", true));
    }

    @Test
    void aHeaderWithNoWellFormedRangeIsUnreadable() {
        for (String header : List.of("foo", "application/", "*/", ";;", "application/json;q=abc", "text/plain;q=2",
                "text/plain;q", "a b/c", "\u0000/\u0000")) {
            assertThat(AcceptHeader.read(List.of(header))).as(header).isInstanceOf(AcceptHeader.Unreadable.class);
        }
    }

    @Test
    void rangesThatAllHaveQZeroRefuseEverything() {
        for (String header : List.of("application/json;q=0", "*/*;q=0", "application/json;q=0.000, text/plain; q=0")) {
            assertThat(AcceptHeader.read(List.of(header))).as(header).isInstanceOf(AcceptHeader.RefusesEverything.class);
        }
        assertThat(AcceptHeader.read(List.of("application/json;q=0, */*;q=0.1"))).isInstanceOf(AcceptHeader.Ranges.class);
        assertThat(AcceptHeader.read(List.of("application/json;q=0.5"))).isInstanceOf(AcceptHeader.Ranges.class);
    }
}
