package dev.switchboard.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Holds a module's packages to dependencies in one direction only: no package uses, directly or through others, a
 * package that uses it. Read from the compiled classes with the JDK's jdeps, so fully qualified names, annotations and
 * signatures count as well as imports. A failure names each cycle once (from its smallest package) and, for each of its
 * edges, the classes that make it, which is where to start untangling it:
 * <pre>{@code
 * @Test
 * void noPackageCycles() {
 *     PackageCycles.assertNoCycles("dev.switchboard.gateway");
 * }
 * }</pre>
 */
public final class PackageCycles {
    /** One line of {@code jdeps -verbose:class}: {@code   a.b.C   -> d.e.F   classes}. */
    private static final Pattern EDGE = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)\\s");
    /** Beyond this many cycles the report stops listing them: the first ones are enough to start with. */
    private static final int MOST_REPORTED = 50;
    /** The classes behind one edge that a report names. */
    private static final int CLASSES_PER_EDGE = 5;

    private PackageCycles() {
    }

    /** The package dependencies of the compiled main classes of the module under test ({@code target/classes}). */
    public static void assertNoCycles(String rootPackage) {
        assertNoCycles(rootPackage, Path.of("target", "classes"));
    }

    /** The same for the classes in {@code classes} (a directory or a jar). */
    public static void assertNoCycles(String rootPackage, Path classes) {
        if (Files.isDirectory(classes) && !Files.isDirectory(classes.resolve(rootPackage.replace('.', '/')))) {
            throw new AssertionError("no package " + rootPackage + " in " + classes.toAbsolutePath() + ": is that the module's root package?");
        }
        Dependencies dependencies = dependencies(rootPackage, classes);
        // One more than are listed, to say that there are more: a tangled module can have a great many.
        List<List<String>> cycles = cycles(dependencies.packages(), MOST_REPORTED + 1);
        if (!cycles.isEmpty()) {
            throw new AssertionError(report(rootPackage, cycles, dependencies.classes()));
        }
    }

    /**
     * What the packages under {@code rootPackage} use of each other (package to packages), and which classes make each
     * edge (edge {@code "from -> to"} to {@code "FromClass -> ToClass"}, names relative to the root package).
     */
    public record Dependencies(Map<String, SortedSet<String>> packages, Map<String, SortedSet<String>> classes) {
    }

    public static Dependencies dependencies(String rootPackage, Path classes) {
        if (!Files.exists(classes)) {
            throw new AssertionError("no compiled classes in " + classes.toAbsolutePath() + "; compile the module first");
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:package",
                "-e", Pattern.quote(rootPackage) + "(\\..*)?", classes.toString());
        if (exit != 0) {
            throw new AssertionError("jdeps failed (" + exit + ") on " + classes.toAbsolutePath() + ": " + err);
        }
        Map<String, SortedSet<String>> packages = new TreeMap<>();
        Map<String, SortedSet<String>> classEdges = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher edge = EDGE.matcher(line);
            if (!edge.find() || !isUnder(edge.group(1), rootPackage) || !isUnder(edge.group(2), rootPackage)) {
                continue;
            }
            String from = packageOf(edge.group(1));
            String to = packageOf(edge.group(2));
            if (!from.equals(to)) {
                packages.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                classEdges.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>())
                        .add(relative(edge.group(1), rootPackage) + " -> " + relative(edge.group(2), rootPackage));
            }
        }
        return new Dependencies(packages, classEdges);
    }

    /**
     * Every elementary cycle of the graph, each once: starting from its smallest package, then as the edges lead
     * ({@code [a, c, b]} for a -> c -> b -> a). In order of that smallest package, then of the path.
     */
    public static List<List<String>> cycles(Map<String, ? extends Set<String>> uses) {
        return cycles(uses, Integer.MAX_VALUE);
    }

    /** The first {@code most} of them. */
    public static List<List<String>> cycles(Map<String, ? extends Set<String>> graph, int most) {
        Map<String, SortedSet<String>> uses = new TreeMap<>();
        graph.forEach((from, to) -> uses.put(from, new TreeSet<>(to)));
        Map<String, Integer> tangle = tangles(uses);
        List<List<String>> cycles = new ArrayList<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            walk(start, start, uses, tangle, new ArrayList<>(List.of(start)), cycles, most);
        }
        return cycles;
    }

    /** Follows only the packages of the start's tangle: a path that leaves it cannot come back. */
    private static void walk(String start, String at, Map<String, SortedSet<String>> uses, Map<String, Integer> tangle,
                             List<String> path, List<List<String>> cycles, int most) {
        for (String next : uses.getOrDefault(at, new TreeSet<>())) {
            if (cycles.size() >= most) {
                return;
            }
            if (next.equals(start)) {
                cycles.add(List.copyOf(path));
            } else if (next.compareTo(start) > 0 && tangle.get(next).equals(tangle.get(start)) && !path.contains(next)) {
                path.add(next);
                walk(start, next, uses, tangle, path, cycles, most);
                path.removeLast();
            }
        }
    }

    /** Each package's tangle (strongly connected component, Tarjan's algorithm): the packages it reaches and is reached by. */
    private static Map<String, Integer> tangles(Map<String, SortedSet<String>> uses) {
        Set<String> all = new TreeSet<>(uses.keySet());
        uses.values().forEach(all::addAll);
        Tarjan tarjan = new Tarjan(uses);
        all.forEach(node -> {
            if (!tarjan.index.containsKey(node)) {
                tarjan.visit(node);
            }
        });
        return tarjan.component;
    }

    private static final class Tarjan {
        private final Map<String, SortedSet<String>> uses;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Map<String, Integer> component = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();

        Tarjan(Map<String, SortedSet<String>> uses) {
            this.uses = uses;
        }

        void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : uses.getOrDefault(node, new TreeSet<>())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                int id = index.get(node);
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.put(member, id);
                } while (!member.equals(node));
            }
        }
    }

    private static String report(String rootPackage, List<List<String>> cycles, Map<String, SortedSet<String>> classEdges) {
        StringBuilder report = new StringBuilder()
                .append(cycles.size() > MOST_REPORTED ? "more than " + MOST_REPORTED : String.valueOf(cycles.size()))
                .append(" package cycle(s) under ").append(rootPackage)
                .append("; each is broken by moving a type to the package that owns its concept, or by an interface in the lower package:");
        for (List<String> cycle : cycles.subList(0, Math.min(cycles.size(), MOST_REPORTED))) {
            report.append("\n  ").append(String.join(" -> ", cycle)).append(" -> ").append(cycle.getFirst());
            for (int i = 0; i < cycle.size(); i++) {
                String edge = cycle.get(i) + " -> " + cycle.get((i + 1) % cycle.size());
                SortedSet<String> because = classEdges.getOrDefault(edge, new TreeSet<>());
                report.append("\n      ").append(relative(cycle.get(i), rootPackage)).append(" -> ")
                        .append(relative(cycle.get((i + 1) % cycle.size()), rootPackage)).append(": ")
                        .append(String.join(", ", because.stream().limit(CLASSES_PER_EDGE).toList()))
                        .append(because.size() > CLASSES_PER_EDGE ? ", ... (" + because.size() + " in all)" : "");
            }
        }
        if (cycles.size() > MOST_REPORTED) {
            report.append("\n  ... and more");
        }
        return report.toString();
    }

    private static boolean isUnder(String className, String rootPackage) {
        return className.startsWith(rootPackage + ".");
    }

    /** {@code a.b.C$D} is in {@code a.b}: nested classes are named with {@code $}. */
    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static String relative(String name, String rootPackage) {
        return name.startsWith(rootPackage + ".") ? name.substring(rootPackage.length() + 1) : name;
    }
}
