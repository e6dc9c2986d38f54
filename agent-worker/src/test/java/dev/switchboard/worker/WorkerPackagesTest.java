package dev.switchboard.worker;

import dev.switchboard.testing.PackageCycles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's packages depend on each other in one direction only, the way agent-worker/README.md draws them
 * (livekit -> voice -> session -> tools, llm): no cycles, and no lower layer reaching up. Read from the compiled
 * classes with test-support's jdeps reading, so fully qualified names count as well as imports.
 */
class WorkerPackagesTest {
    private static final String ROOT = "dev.switchboard.worker";

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
        Map<String, SortedSet<String>> uses = uses();
        assertThat(uses).as("jdeps found the worker's packages").containsKeys(ROOT + ".session", ROOT + ".voice", ROOT + ".livekit");
        List<String> unplaced = uses.keySet().stream().map(p -> p.substring(ROOT.length() + 1).split("\\.")[0])
                .filter(top -> !known.contains(top)).distinct().toList();
        assertThat(unplaced).as("packages missing from the layers (agent-worker/README.md and this test)").isEmpty();
    }

    @Test
    void noPackageCycles() {
        PackageCycles.assertNoCycles(ROOT);
    }

    @Test
    void noLayerUsesTheLayersAboveIt() {
        PackageCycles.Dependencies dependencies = PackageCycles.dependencies(ROOT, Path.of("target", "classes"));
        List<String> violations = new ArrayList<>();
        dependencies.packages().forEach((from, targets) -> MUST_NOT_USE.forEach((layer, above) -> {
            if (isIn(from, layer)) {
                targets.stream().filter(to -> above.stream().anyMatch(a -> isIn(to, a)))
                        .forEach(to -> violations.add(from + " -> " + to + " " + dependencies.classes().get(from + " -> " + to)));
            }
        }));
        assertThat(violations).as("dependencies on a higher layer").isEmpty();
    }

    private static Map<String, SortedSet<String>> uses() {
        return PackageCycles.dependencies(ROOT, Path.of("target", "classes")).packages();
    }

    private static boolean isIn(String pkg, String layer) {
        return pkg.equals(ROOT + "." + layer) || pkg.startsWith(ROOT + "." + layer + ".");
    }
}
