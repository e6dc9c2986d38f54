package dev.switchboard.transcripts.redaction;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Which detectors run. Card numbers are on by default: a card number in a transcript is never wanted, and the
 * Luhn check keeps false positives rare; the others trade recall for readability and are chosen per deployment.
 */
public record RedactionSettings(boolean card, boolean phone, boolean email, boolean digits, int digitsMinLength,
                                boolean spokenNumbers) {
    public RedactionSettings {
        if (digitsMinLength < 2) {
            // Made from the settings at start (RedactorProducer): Quarkus prints a ConfigurationException as its message alone.
            throw new ConfigurationException("switchboard.transcripts.redaction.digits.min-length"
                    + " (SWITCHBOARD_TRANSCRIPTS_REDACTION_DIGITS_MIN_LENGTH) must be at least 2, not " + digitsMinLength);
        }
    }

    public static RedactionSettings defaults() {
        return new RedactionSettings(true, false, false, false, 6, true);
    }

    public static RedactionSettings everything() {
        return new RedactionSettings(true, true, true, true, 6, true);
    }

    public boolean anyNumberDetector() {
        return card || phone || digits;
    }
}
