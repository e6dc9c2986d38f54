package dev.switchboard.kit;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit's packages depend on each other in one direction only, read from the compiled classes with the JDK's jdeps.
 * The services check theirs with test-support's {@code PackageCycles}; the kit cannot use it: test-support is the
 * deploy layer's Quarkus test harness (embedded Kafka and PostgreSQL, fakes), which the kit's plain unit tests must not
 * pull in, so this is the same check, small.
 */
class KitPackagesTest {
    private static final String ROOT = "dev.switchboard.kit.";
    private static final Pattern EDGE = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)\\s");

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).as("jdeps found the kit's packages").containsKey(ROOT + "auth");

        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            findCycles(start, start, uses, new ArrayList<>(List.of(start)), cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    /** Each cycle once, from its smallest package. */
    private static void findCycles(String start, String at, Map<String, Set<String>> uses, List<String> path, List<String> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (next.compareTo(start) > 0 && !path.contains(next)) {
                path.add(next);
                findCycles(start, next, uses, path, cycles);
                path.removeLast();
            }
        }
    }

    /** Package -> the other kit packages it uses, from the compiled main classes. */
    private static Map<String, Set<String>> dependencies() {
        Path classes = Path.of("target", "classes");
        assertThat(Files.isDirectory(classes)).as("compiled classes in " + classes.toAbsolutePath()).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err),
                "-verbose:package", "-filter:package", "-e", "dev\\.switchboard\\.kit\\..*", classes.toString());
        assertThat(exit).as("jdeps: " + err).isZero();

        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && edge.group(1).startsWith(ROOT) && edge.group(2).startsWith(ROOT)) {
                uses.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
            }
        }
        return uses;
    }
}
