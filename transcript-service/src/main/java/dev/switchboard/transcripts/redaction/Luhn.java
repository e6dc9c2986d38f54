package dev.switchboard.transcripts.redaction;

/** The Luhn checksum every payment card number carries. */
final class Luhn {
    private Luhn() {
    }

    /** Whether digits[from, to) (ASCII digits only) pass the Luhn check. */
    static boolean valid(CharSequence digits, int from, int to) {
        int sum = 0;
        boolean twice = false;
        for (int i = to - 1; i >= from; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    static boolean valid(CharSequence digits) {
        return valid(digits, 0, digits.length());
    }
}
