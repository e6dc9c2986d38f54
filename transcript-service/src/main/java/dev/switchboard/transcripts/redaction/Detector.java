package dev.switchboard.transcripts.redaction;

/** A kind of personal data the redactor finds; its label is what a segment records when it fired. */
public enum Detector {
    CARD("card", "[CARD]"),
    PHONE("phone", "[PHONE]"),
    EMAIL("email", "[EMAIL]"),
    DIGITS("digits", "[NUMBER]"),
    /** Not a detector of its own: recorded when a redacted number had been spoken as words. */
    SPOKEN_NUMBERS("spoken-numbers", null);

    private final String label;
    private final String placeholder;

    Detector(String label, String placeholder) {
        this.label = label;
        this.placeholder = placeholder;
    }

    public String label() {
        return label;
    }

    /** What replaces the redacted text. */
    public String placeholder() {
        return placeholder;
    }
}
