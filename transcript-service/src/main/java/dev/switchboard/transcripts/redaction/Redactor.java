package dev.switchboard.transcripts.redaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes personal data from transcript text before it is stored or streamed. Deterministic: the same text and
 * settings always give the same result, so a replayed record is stored exactly as the first time. Thread-safe.
 *
 * <p>Numbers are judged as a whole run ({@link NumberRuns}): a card number is any 13 to 19 digits of a run that
 * pass the Luhn check, what remains of the run is a phone number when it has 7 to 15 digits, otherwise a long
 * digit run when it reaches the configured length.
 */
public final class Redactor {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final int CARD_MIN = 13;
    private static final int CARD_MAX = 19;
    private static final int PHONE_MIN = 7;
    private static final int PHONE_MAX = 15;

    private final RedactionSettings settings;

    public Redactor(RedactionSettings settings) {
        this.settings = settings;
    }

    public RedactionSettings settings() {
        return settings;
    }

    public Redaction redact(String text) {
        if (text == null || text.isEmpty()) {
            return Redaction.unchanged(text);
        }
        EnumSet<Detector> fired = EnumSet.noneOf(Detector.class);
        String working = text;
        if (settings.email() && working.indexOf('@') >= 0) {
            Matcher matcher = EMAIL.matcher(working);
            if (matcher.find()) {
                working = matcher.replaceAll(Matcher.quoteReplacement(Detector.EMAIL.placeholder()));
                fired.add(Detector.EMAIL);
            }
        }
        if (settings.anyNumberDetector()) {
            List<Span> spans = new ArrayList<>();
            for (List<NumberRuns.Piece> run : NumberRuns.find(working, settings.spokenNumbers())) {
                classify(run, spans);
            }
            if (!spans.isEmpty()) {
                working = apply(working, spans, fired);
            }
        }
        return fired.isEmpty() ? Redaction.unchanged(text) : new Redaction(working, fired);
    }

    private record Span(int start, int end, Detector detector, boolean spoken) {
    }

    private void classify(List<NumberRuns.Piece> run, List<Span> spans) {
        int size = run.size();
        boolean[] taken = new boolean[size];
        if (settings.card()) {
            findCards(run, taken, spans);
        }
        int i = 0;
        while (i < size) {
            if (taken[i]) {
                i++;
                continue;
            }
            int j = i;
            int length = 0;
            while (j < size && !taken[j]) {
                length += run.get(j).digits().length();
                j++;
            }
            Detector detector = null;
            if (settings.phone() && length >= PHONE_MIN && length <= PHONE_MAX) {
                detector = Detector.PHONE;
            } else if (settings.digits() && length >= settings.digitsMinLength()) {
                detector = Detector.DIGITS;
            }
            if (detector != null) {
                spans.add(span(run, i, j - 1, detector));
            }
            i = j;
        }
    }

    /** Left to right, the longest stretch of whole pieces from each start that is a Luhn-valid card number. */
    private void findCards(List<NumberRuns.Piece> run, boolean[] taken, List<Span> spans) {
        int size = run.size();
        int i = 0;
        while (i < size) {
            StringBuilder digits = new StringBuilder(CARD_MAX + 4);
            int best = -1;
            for (int j = i; j < size && digits.length() < CARD_MAX; j++) {
                digits.append(run.get(j).digits());
                int length = digits.length();
                if (length >= CARD_MIN && length <= CARD_MAX && Luhn.valid(digits)) {
                    best = j;
                }
            }
            if (best >= 0) {
                for (int k = i; k <= best; k++) {
                    taken[k] = true;
                }
                spans.add(span(run, i, best, Detector.CARD));
                i = best + 1;
            } else {
                i++;
            }
        }
    }

    private static Span span(List<NumberRuns.Piece> run, int first, int last, Detector detector) {
        boolean spoken = false;
        for (int k = first; k <= last; k++) {
            spoken |= run.get(k).spoken();
        }
        return new Span(run.get(first).start(), run.get(last).end(), detector, spoken);
    }

    private static String apply(String text, List<Span> spans, EnumSet<Detector> fired) {
        spans.sort(Comparator.comparingInt(Span::start));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Span span : spans) {
            int start = span.start();
            // "+1 415 ..." and "(415) 555-0100" lose their punctuation too, not just the digits.
            while (start > at && (text.charAt(start - 1) == '+' || text.charAt(start - 1) == '(')) {
                start--;
            }
            int end = span.end();
            if (end < text.length() && text.charAt(end) == ')' && text.lastIndexOf('(', end) >= start) {
                end++;
            }
            out.append(text, at, start).append(span.detector().placeholder());
            at = end;
            fired.add(span.detector());
            if (span.spoken()) {
                fired.add(Detector.SPOKEN_NUMBERS);
            }
        }
        out.append(text, at, text.length());
        return out.toString();
    }
}
