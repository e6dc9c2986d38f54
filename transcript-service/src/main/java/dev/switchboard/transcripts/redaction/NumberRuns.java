package dev.switchboard.transcripts.redaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the stretches of a text that read as a number: digit groups ("4111 1111", "(415) 555-0100") and, when
 * asked, numbers spoken as words the way speech-to-text writes them ("four one one one", "oh", "double five",
 * "twenty two"). Groups separated only by spaces, dashes, slashes, brackets or a pause (", ", ". ") belong to one
 * run, because that is how people read out a card or phone number; any other word ends the run.
 *
 * <p>Not understood on purpose: "hundred" and "thousand" (amounts, not identifiers), and a comma between digits
 * ("1,234" is a thousands separator, so it ends the run).
 */
final class NumberRuns {
    /** A stretch of text [start, end) that reads as the given digits. */
    record Piece(int start, int end, String digits, boolean spoken) {
    }

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("zero", "0"), Map.entry("oh", "0"), Map.entry("nought", "0"), Map.entry("nil", "0"),
            Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"),
            Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"),
            Map.entry("nine", "9"));
    private static final Map<String, String> TEENS = Map.of(
            "ten", "10", "eleven", "11", "twelve", "12", "thirteen", "13", "fourteen", "14", "fifteen", "15",
            "sixteen", "16", "seventeen", "17", "eighteen", "18", "nineteen", "19");
    private static final Map<String, String> TENS = Map.of(
            "twenty", "2", "thirty", "3", "forty", "4", "fifty", "5", "sixty", "6", "seventy", "7", "eighty", "8", "ninety", "9");
    private static final Map<String, Integer> MULTIPLIERS = Map.of("double", 2, "triple", 3);

    private NumberRuns() {
    }

    static List<List<Piece>> find(String text, boolean spokenNumbers) {
        return new Scanner(text, spokenNumbers).scan();
    }

    private static final class Scanner {
        private final String text;
        private final boolean spoken;
        private final List<List<Piece>> runs = new ArrayList<>();
        private List<Piece> current = new ArrayList<>();
        /** "double"/"triple" waiting for the digit it repeats. */
        private int multiplier;
        private int multiplierStart;
        /** Index in current of a "twenty"-like piece that a following unit word completes ("twenty two"). */
        private int openTens = -1;

        Scanner(String text, boolean spoken) {
            this.text = text;
            this.spoken = spoken;
        }

        List<List<Piece>> scan() {
            int n = text.length();
            int i = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (isDigit(c)) {
                    int j = i;
                    while (j < n && isDigit(text.charAt(j))) {
                        j++;
                    }
                    add(i, j, text.substring(i, j), false);
                    i = j;
                } else if (Character.isLetter(c)) {
                    int j = i;
                    while (j < n && (Character.isLetter(text.charAt(j)) || text.charAt(j) == '\'')) {
                        j++;
                    }
                    word(i, j);
                    i = j;
                } else if (Character.isWhitespace(c) || c == '-' || c == '(' || c == ')' || c == '/' || c == '+') {
                    if (c != '-' && !Character.isWhitespace(c)) {
                        openTens = -1; // "twenty (two" is not twenty-two
                    }
                    i++;
                } else if (c == '.' || c == ',') {
                    char next = i + 1 < n ? text.charAt(i + 1) : ' ';
                    boolean pause = Character.isWhitespace(next);
                    boolean groupDot = c == '.' && isDigit(next) && i > 0 && isDigit(text.charAt(i - 1));
                    if (!pause && !groupDot) {
                        endRun();
                    }
                    openTens = -1;
                    i++;
                } else {
                    endRun();
                    i++;
                }
            }
            endRun();
            return runs;
        }

        private void word(int start, int end) {
            if (!spoken || end - start < 2 || end - start > 9) {
                endRun();
                return;
            }
            String word = text.substring(start, end).toLowerCase(Locale.ROOT);
            String unit = UNITS.get(word);
            if (unit != null) {
                if (openTens >= 0 && !unit.equals("0") && multiplier == 0) {
                    Piece tens = current.get(openTens);
                    current.set(openTens, new Piece(tens.start(), end, tens.digits().charAt(0) + unit, true));
                    openTens = -1;
                    return;
                }
                add(start, end, unit, true);
                return;
            }
            String teen = TEENS.get(word);
            if (teen != null) {
                add(start, end, teen, true);
                return;
            }
            String tens = TENS.get(word);
            if (tens != null) {
                add(start, end, tens + "0", true);
                openTens = current.size() - 1;
                return;
            }
            Integer times = MULTIPLIERS.get(word);
            if (times != null) {
                multiplier = times;
                multiplierStart = start;
                openTens = -1;
                return;
            }
            endRun();
        }

        private void add(int start, int end, String digits, boolean spokenPiece) {
            openTens = -1;
            if (multiplier > 0) {
                if (digits.length() == 1) {
                    digits = digits.repeat(multiplier);
                    start = multiplierStart;
                    spokenPiece = true;
                }
                multiplier = 0;
            }
            current.add(new Piece(start, end, digits, spokenPiece));
        }

        private void endRun() {
            if (!current.isEmpty()) {
                runs.add(current);
                current = new ArrayList<>();
            }
            multiplier = 0;
            openTens = -1;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
