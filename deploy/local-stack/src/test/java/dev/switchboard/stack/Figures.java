package dev.switchboard.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/** The figures a reliability test measured, printed as one block the README's tables are filled from. */
final class Figures {
    private final String title;
    private final Map<String, String> values = new LinkedHashMap<>();

    Figures(String title) {
        this.title = title;
    }

    void put(String what, String value) {
        values.put(what, value);
    }

    void print() {
        StringBuilder text = new StringBuilder("\n==== reliability: " + title + " ====\n");
        values.forEach((what, value) -> text.append(String.format("%-52s %s%n", what, value)));
        System.out.println(text);
    }
}
