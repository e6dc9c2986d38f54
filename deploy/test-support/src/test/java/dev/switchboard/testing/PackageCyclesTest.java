package dev.switchboard.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PackageCyclesTest {

    @Test
    void reportsEachCycleOnceFromItsSmallestPackage() {
        Map<String, Set<String>> uses = Map.of(
                "a", Set.of("b"),
                "b", Set.of("a", "c"),
                "c", Set.of("a", "d"),
                "d", Set.of());

        assertThat(PackageCycles.cycles(uses)).containsExactly(List.of("a", "b"), List.of("a", "b", "c"));
    }

    @Test
    void aGraphThatPointsOneWayHasNone() {
        Map<String, Set<String>> uses = Map.of(
                "api", Set.of("store", "format"),
                "format", Set.of("store"),
                "store", Set.of());

        assertThat(PackageCycles.cycles(uses)).isEmpty();
    }

    @Test
    void separateTanglesAreEachReported() {
        Map<String, Set<String>> uses = Map.of(
                "api", Set.of("live", "routing"),
                "live", Set.of("api"),
                "routing", Set.of("watchdog"),
                "watchdog", Set.of("routing"));

        assertThat(PackageCycles.cycles(uses)).containsExactly(List.of("api", "live"), List.of("routing", "watchdog"));
        assertThat(PackageCycles.cycles(uses, 1)).containsExactly(List.of("api", "live"));
    }

    @Test
    void thisModulesPackagesHaveNoCycles() {
        PackageCycles.assertNoCycles("dev.switchboard.testing");
    }

    @Test
    void readsTheEdgesAndTheClassesBehindThemFromTheCompiledClasses() {
        PackageCycles.Dependencies dependencies = PackageCycles.dependencies("dev.switchboard.testing", Path.of("target", "classes"));

        assertThat(dependencies.packages()).isNotEmpty();
        dependencies.packages().forEach((from, to) -> to.forEach(target ->
                assertThat(dependencies.classes()).containsKey(from + " -> " + target)));
    }
}
