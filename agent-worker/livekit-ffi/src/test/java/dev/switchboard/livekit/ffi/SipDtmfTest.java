package dev.switchboard.livekit.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipDtmfTest {

    @Test
    void everyKeypadDigitHasItsRfc4733Code() {
        String keypad = "0123456789*#ABCD";
        for (int code = 0; code < keypad.length(); code++) {
            char digit = keypad.charAt(code);
            assertThat(SipDtmf.code(digit)).as("code of %s", digit).isEqualTo(code);
            assertThat(SipDtmf.digit(code)).as("digit of %s", code).isEqualTo(digit);
            assertThat(SipDtmf.isDigit(digit)).isTrue();
        }
        assertThat(SipDtmf.code('*')).isEqualTo(10);
        assertThat(SipDtmf.code('#')).isEqualTo(11);
        assertThat(SipDtmf.code('a')).isEqualTo(12);
        assertThat(SipDtmf.code('d')).isEqualTo(15);
    }

    @ParameterizedTest
    @ValueSource(chars = {'E', 'e', 'x', ' ', '+', '/', ':', '@', '\u0660', '\uFF21'})
    void anythingElseIsNotADigit(char c) {
        assertThat(SipDtmf.isDigit(c)).isFalse();
        assertThatThrownBy(() -> SipDtmf.code(c)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DTMF digit");
    }

    @Test
    void codesOutsideTheKeypadHaveNoDigit() {
        assertThatThrownBy(() -> SipDtmf.digit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipDtmf.digit(16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16");
    }

    @Test
    void aCodeMustMatchItsDigit() {
        SipDtmf.requireConsistent(5, "5");
        SipDtmf.requireConsistent(10, "*");
        SipDtmf.requireConsistent(11, "#");
        SipDtmf.requireConsistent(12, "a");
        assertThatThrownBy(() -> SipDtmf.requireConsistent(1, "#")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("code 1 does not match digit '#' (code 11)");
        assertThatThrownBy(() -> SipDtmf.requireConsistent(1, "12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a DTMF digit");
        assertThatThrownBy(() -> SipDtmf.requireConsistent(0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipDtmf.requireConsistent(0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
