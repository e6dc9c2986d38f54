package dev.switchboard.transcripts.redaction;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor defaults = new Redactor(RedactionSettings.defaults());
    private final Redactor everything = new Redactor(RedactionSettings.everything());

    @Test
    void writtenCardNumbersInAnyLayout() {
        assertRedacted(defaults, "My card is 4111 1111 1111 1111, expiry soon.", "My card is [CARD], expiry soon.", Detector.CARD);
        assertRedacted(defaults, "4111-1111-1111-1111", "[CARD]", Detector.CARD);
        assertRedacted(defaults, "card 5500000000000004 thanks", "card [CARD] thanks", Detector.CARD);
        assertRedacted(defaults, "amex 3782 822463 10005", "amex [CARD]", Detector.CARD);
    }

    @Test
    void cardNumbersSpokenAsWords() {
        assertRedacted(defaults, "it's four one one one one one one one one one one one one one one one",
                "it's [CARD]", Detector.CARD, Detector.SPOKEN_NUMBERS);
        assertRedacted(defaults, "Four one one one, one one one one, one one one one, one one one one. Got it?",
                "[CARD]. Got it?", Detector.CARD, Detector.SPOKEN_NUMBERS);
        assertRedacted(defaults, "four double one one, 1111, one one one one, triple one one", "[CARD]", Detector.CARD, Detector.SPOKEN_NUMBERS);
    }

    @Test
    void onlyLuhnValidNumbersAreCards() {
        assertUnchanged(defaults, "order 4111 1111 1111 1112 please");
        assertUnchanged(defaults, "I was born in 1985 and I have 2 kids.");
        // the card is found inside a longer run, and what follows it stays
        assertRedacted(defaults, "4111 1111 1111 1111 123", "[CARD] 123", Detector.CARD);
    }

    @Test
    void phoneNumbersWhenEnabled() {
        assertUnchanged(defaults, "call me at +1 (415) 555-0100");
        assertRedacted(everything, "call me at +1 (415) 555-0100 tomorrow", "call me at [PHONE] tomorrow", Detector.PHONE);
        assertRedacted(everything, "it's 415.555.0100", "it's [PHONE]", Detector.PHONE);
        assertRedacted(everything, "my number is five five five, oh one two three", "my number is [PHONE]", Detector.PHONE, Detector.SPOKEN_NUMBERS);
        assertRedacted(everything, "double five five, twenty two forty one", "[PHONE]", Detector.PHONE, Detector.SPOKEN_NUMBERS);
    }

    @Test
    void emailAddressesWhenEnabled() {
        assertUnchanged(defaults, "mail jane.doe@example.com");
        assertRedacted(everything, "mail jane.doe+calls@example.co.uk or bob@test.io", "mail [EMAIL] or [EMAIL]", Detector.EMAIL);
    }

    @Test
    void longDigitRunsWhenEnabled() {
        Redactor digits = new Redactor(new RedactionSettings(false, false, false, true, 6, true));
        assertRedacted(digits, "account 12345678 is open", "account [NUMBER] is open", Detector.DIGITS);
        assertRedacted(digits, "account one two three four five six", "account [NUMBER]", Detector.DIGITS, Detector.SPOKEN_NUMBERS);
        assertUnchanged(digits, "it costs 1,234.56 dollars");
        assertUnchanged(digits, "room 12345");
    }

    @Test
    void spokenNumbersCanBeTurnedOff() {
        Redactor writtenOnly = new Redactor(new RedactionSettings(true, false, false, false, 6, false));
        assertUnchanged(writtenOnly, "four one one one one one one one one one one one one one one one");
        assertRedacted(writtenOnly, "4111111111111111", "[CARD]", Detector.CARD);
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        assertUnchanged(everything, "Oh, I see. One moment please, I'll be there at ten.");
        assertUnchanged(everything, "");
        assertThat(everything.redact(null).text()).isNull();
    }

    private static void assertRedacted(Redactor redactor, String text, String expected, Detector... fired) {
        Redaction redaction = redactor.redact(text);
        assertThat(redaction.text()).isEqualTo(expected);
        assertThat(redaction.fired()).isEqualTo(Set.of(fired));
        assertThat(redactor.redact(text)).as("deterministic").isEqualTo(redaction);
    }

    private static void assertUnchanged(Redactor redactor, String text) {
        Redaction redaction = redactor.redact(text);
        assertThat(redaction.text()).isEqualTo(text);
        assertThat(redaction.changed()).isFalse();
    }
}
