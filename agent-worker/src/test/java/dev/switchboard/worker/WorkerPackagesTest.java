package dev.switchboard.worker;

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
 * The worker's packages depend on each other in one direction only, the way agent-worker/README.md draws them
 * (livekit -> voice -> session -> tools, llm): no cycles, and no lower layer reaching up. Read from the compiled
 * classes with the JDK's jdeps, so fully qualified names count as well as imports.
 */
class WorkerPackagesTest {
    private static final String ROOT = "dev.switchboard.worker.";
    private static final Pattern EDGE = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)\\s");

    /** What each layer must not use: the layers above it. */
    private static final List<String> ADAPTERS = List.of("kafka", "api", "simulated", "heartbeat");
    private static final Map<String, List<String>> MUST_NOT_USE = Map.of(
            "livekit", ADAPTERS,
            "voice", above(ADAPTERS, "livekit"),
            "session", above(ADAPTERS, "livekit", "voice"),
            "tools", above(ADAPTERS, "livekit", "voice", "session"),
            "llm", above(ADAPTERS, "livekit", "voice", "session", "tools"),
            "concurrent", above(ADAPTERS, "livekit", "voice", "session", "tools", "llm"));

    private static List<String> above(List<String> adapters, String... layers) {
        List<String> all = new ArrayList<>(adapters);
        all.addAll(List.of(layers));
        return all;
    }

    @Test
    void everyPackageOfTheWorkerHasItsPlaceInTheLayers() {
        Set<String> known = new TreeSet<>(ADAPTERS);
        known.addAll(MUST_NOT_USE.keySet());
        List<String> unplaced = dependencies().keySet().stream().map(p -> p.substring(ROOT.length()).split("\\.")[0])
                .filter(top -> !known.contains(top)).distinct().toList();
        assertThat(unplaced).as("packages missing from the layers (agent-worker/README.md and this test)").isEmpty();
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).as("jdeps found the worker's packages").containsKeys(ROOT + "session", ROOT + "voice", ROOT + "livekit");

        List<List<String>> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            findCycle(start, start, uses, new ArrayList<>(List.of(start)), cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void noLayerUsesTheLayersAboveIt() {
        List<String> violations = new ArrayList<>();
        dependencies().forEach((from, targets) -> MUST_NOT_USE.forEach((layer, above) -> {
            if (isIn(from, layer)) {
                targets.stream().filter(to -> above.stream().anyMatch(a -> isIn(to, a)))
                        .forEach(to -> violations.add(from + " -> " + to));
            }
        }));
        assertThat(violations).as("dependencies on a higher layer").isEmpty();
    }

    private static boolean isIn(String pkg, String layer) {
        return pkg.equals(ROOT + layer) || pkg.startsWith(ROOT + layer + ".");
    }

    /** Reports each cycle once, from its smallest package. */
    private static void findCycle(String start, String at, Map<String, Set<String>> uses, List<String> path, List<List<String>> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(List.copyOf(path));
            } else if (next.compareTo(start) > 0 && !path.contains(next)) {
                path.add(next);
                findCycle(start, next, uses, path, cycles);
                path.removeLast();
            }
        }
    }

    /** Package -> the other worker packages it uses, from the compiled main classes. */
    private static Map<String, Set<String>> dependencies() {
        Path classes = Path.of("target", "classes");
        assertThat(Files.isDirectory(classes)).as("compiled classes in " + classes.toAbsolutePath()).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err),
                "-verbose:package", "-filter:package", "-e", "dev\\.switchboard\\.worker\\..*", classes.toString());
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
