package dev.switchboard.transcripts.mapping;

import java.text.Normalizer;

/**
 * Text that is searched, stored and searched for, in one Unicode form: the composed one (NFC). The same word can reach
 * the service in two byte sequences ("café" with U+00E9, or with e and U+0301); PostgreSQL's text search sees two
 * different words in them, so lines and queries are both composed before they meet.
 */
public final class SpokenText {
    private SpokenText() {
    }

    /** The text in NFC; the same instance when it already is (almost always). */
    public static String composed(String value) {
        if (value == null || Normalizer.isNormalized(value, Normalizer.Form.NFC)) {
            return value;
        }
        return Normalizer.normalize(value, Normalizer.Form.NFC);
    }
}
