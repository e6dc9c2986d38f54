package dev.switchboard.gateway.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Collects everything wrong with a request, so one 400 names all of it. */
final class Violations {
    private final List<String> problems = new ArrayList<>();

    /** A text field: required or not, never blank when given, at most {@code max} characters. */
    Violations text(String field, String value, boolean required, int max) {
        if (value == null) {
            if (required) {
                problems.add(field + " is required");
            }
        } else if (value.isEmpty()) {
            problems.add(field + " must not be empty");
        } else if (value.isBlank()) {
            problems.add(field + " must not be blank");
        } else if (value.length() > max) {
            problems.add(field + " is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        return this;
    }

    /** One of the given symbols (case-insensitive); returns the symbol's value when valid. */
    <T> Optional<T> choice(String field, String value, Map<String, T> symbols, T whenAbsent) {
        String allowed = symbols.keySet().stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(" or "));
        if (value == null) {
            if (whenAbsent == null) {
                problems.add(field + " is required: " + allowed);
            }
            return Optional.ofNullable(whenAbsent);
        }
        T chosen = symbols.get(value.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            problems.add(field + " must be " + allowed + ", not \"" + value + "\"");
        }
        return Optional.ofNullable(chosen);
    }

    /** Symbols in the order the error message lists them. */
    static <T> Map<String, T> symbols(String first, T firstValue, String second, T secondValue) {
        Map<String, T> symbols = new LinkedHashMap<>();
        symbols.put(first, firstValue);
        symbols.put(second, secondValue);
        return symbols;
    }

    Violations add(String problem) {
        problems.add(problem);
        return this;
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(String.join("; ", problems));
        }
    }
}
