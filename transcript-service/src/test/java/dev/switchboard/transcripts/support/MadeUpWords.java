package dev.switchboard.transcripts.support;

import java.util.concurrent.ThreadLocalRandom;

/** Words no other test uses, so a test's search results are its own. */
public final class MadeUpWords {
    private MadeUpWords() {
    }

    /** "zq", eight letters a–f and {@code suffix} (a real ending, so the full-text stemmer treats it as a word). */
    public static String endingIn(String suffix) {
        StringBuilder word = new StringBuilder("zq");
        for (int i = 0; i < 8; i++) {
            word.append((char) ('a' + ThreadLocalRandom.current().nextInt(6)));
        }
        return word.append(suffix).toString();
    }
}
