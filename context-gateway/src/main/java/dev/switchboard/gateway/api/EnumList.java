package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** A query parameter naming values of an enum, in any case, comma-separated or repeated ({@code ?state=live,ending}). */
final class EnumList {
    private EnumList() {
    }

    /** The values named; empty when none are; 400 problem+json naming the parameter and what it accepts for any other word. */
    static <E extends Enum<E>> Set<E> parse(String parameter, List<String> values, Class<E> type) {
        Set<E> parsed = EnumSet.noneOf(type);
        if (values == null) {
            return parsed;
        }
        for (String name : values.stream().flatMap(value -> Arrays.stream(value.split(","))).toList()) {
            try {
                parsed.add(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid(parameter + " must be one of " + Arrays.stream(type.getEnumConstants())
                        .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", not \"" + name.trim() + "\"");
            }
        }
        return parsed;
    }
}
