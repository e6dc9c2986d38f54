package dev.switchboard.gateway.commands;

import dev.switchboard.events.InjectContext;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.Say;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFingerprintTest {

    @Test
    void equalPayloadsHaveOneFingerprintAndAnyDifferenceAnother() {
        String first = RequestFingerprint.of(Say.newBuilder().setText("first text").build());
        assertThat(RequestFingerprint.of(Say.newBuilder().setText("first text").build())).isEqualTo(first).hasSize(64);
        assertThat(RequestFingerprint.of(Say.newBuilder().setText("DIFFERENT text").build())).isNotEqualTo(first);
        assertThat(RequestFingerprint.of(InjectContext.newBuilder().setRole(ContextRole.USER).setText("first text").build()))
                .as("another kind of payload").isNotEqualTo(first);
    }

    @Test
    void aMapCountsByItsEntriesNotTheirOrder() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", null);
        Map<String, Object> ba = new HashMap<>();
        ba.put("b", null);
        ba.put("a", "1");
        assertThat(RequestFingerprint.of(ab)).isEqualTo(RequestFingerprint.of(ba));
        assertThat(RequestFingerprint.of(Map.of("a", "1"))).as("a null entry is an entry").isNotEqualTo(RequestFingerprint.of(ab));
        assertThat(RequestFingerprint.of(Map.of("a", "1b"))).isNotEqualTo(RequestFingerprint.of(Map.of("a1", "b")));
    }

    @Test
    void onlyAKnownEarlierFingerprintCanDiffer() {
        assertThat(RequestFingerprint.differs(null, "x")).as("known only from its result").isFalse();
        assertThat(RequestFingerprint.differs("x", "x")).isFalse();
        assertThat(RequestFingerprint.differs("x", "y")).isTrue();
    }
}
