package dev.switchboard.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system's shared libraries that some native code needs (the JVM, LiveKit's engine, ONNX Runtime...), found the
 * way the dynamic loader finds them: with {@code ldd}, which prints the whole closure of a file's dependencies.
 * Each library goes into the image at the path the loader found it at here, which is on the loader's default
 * search path there too. ldd runs the loader on the file, so it is only given code this build ships anyway.
 */
final class SharedLibraries {
    private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+(/\\S+)\\s+\\(0x[0-9a-f]+\\)$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found$");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x[0-9a-f]+\\)$");
    /**
     * Name-service modules: glibc before 2.34 loads them by name (for /etc/passwd and /etc/hosts lookups), so
     * ldd never lists them; newer glibc has them built in and ships small stubs. Taken when present beside libc.
     */
    private static final List<String> NAME_SERVICE_MODULES = List.of("libnss_files.so.2", "libnss_dns.so.2");

    private SharedLibraries() {
    }

    /**
     * The libraries {@code required} need, and those of {@code optional} whose dependencies this machine has, as
     * absolute paths on this machine (and in the image). A dependency that ldd cannot resolve is fine when one of the
     * given files is that library (the JVM's libraries find libjvm.so because it is already loaded). Any other is an
     * error naming it and who needs it, except for an optional file: libraries such as Snappy's ship a copy per
     * system (musl, Solaris...) and load the one that works, so a copy that cannot load here is left to {@code skipped}.
     */
    static Set<Path> neededBy(Collection<Path> required, Collection<Path> optional, Consumer<String> skipped) {
        Set<String> shipped = new TreeSet<>();
        required.forEach(f -> shipped.add(f.getFileName().toString()));
        optional.forEach(f -> shipped.add(f.getFileName().toString()));
        // A library is often shipped under its plain name but linked by its versioned one (libonnxruntime.so.1).
        Set<String> plainNames = new TreeSet<>(shipped);
        plainNames.forEach(name -> shipped.add(name + ".*"));
        Set<Path> needed = new TreeSet<>();
        TreeMap<String, String> missing = new TreeMap<>();
        for (Path file : required) {
            Dependencies dependencies = dependencies(file, shipped);
            needed.addAll(dependencies.found());
            dependencies.missing().forEach(library -> missing.putIfAbsent(library, file.toString()));
        }
        for (Path file : optional) {
            Dependencies dependencies = dependencies(file, shipped);
            if (dependencies.missing().isEmpty()) {
                needed.addAll(dependencies.found());
            } else {
                skipped.accept("left out what " + file.getParent().getFileName() + "/" + file.getFileName() + " links (it needs " + String.join(", ", dependencies.missing())
                        + ", which this system lacks: a copy for another system)");
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder why = new StringBuilder("this machine lacks shared libraries the image needs:");
            missing.forEach((library, neededBy) -> why.append("\n  ").append(library).append(" (needed by ").append(neededBy).append(')'));
            throw new ImageException(why + "\ninstall them (e.g. with apt-get) or choose a base image that has them with --base");
        }
        return needed;
    }

    /** What ldd found for one file, and the libraries it could not find that are not among the shipped ones. */
    private record Dependencies(Set<Path> found, Set<String> missing) {
    }

    private static Dependencies dependencies(Path file, Set<String> shipped) {
        Set<Path> found = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (String line : ldd(file)) {
            Matcher m;
            if ((m = RESOLVED.matcher(line)).matches()) {
                Path library = Path.of(m.group(2)).normalize();
                // One of the shipped files (the runtime's libjli.so, found through $ORIGIN/../lib) is in the image
                // already, where it belongs; only the system's libraries are taken from where they lie here.
                if (!shipped.contains(library.getFileName().toString())) {
                    found.add(library);
                }
            } else if ((m = LOADER.matcher(line)).matches()) {
                found.add(Path.of(m.group(1)));
            } else if ((m = NOT_FOUND.matcher(line)).matches() && !shipped.contains(m.group(1))
                    && !shipped.contains(m.group(1).replaceFirst("\\.so\\..*$", ".so") + ".*")) {
                missing.add(m.group(1));
            }
        }
        return new Dependencies(found, missing);
    }

    /** The name-service modules of the C library among {@code libraries}, when this system has them. */
    static Set<Path> nameServiceModules(Collection<Path> libraries) {
        Set<Path> modules = new TreeSet<>();
        for (Path library : libraries) {
            if (library.getFileName().toString().equals("libc.so.6")) {
                for (String module : NAME_SERVICE_MODULES) {
                    Path candidate = library.resolveSibling(module);
                    if (Files.exists(candidate)) {
                        modules.add(candidate);
                    }
                }
            }
        }
        return modules;
    }

    private static List<String> ldd(Path file) {
        try {
            Process process = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ImageException("ldd " + file + " did not finish");
            }
            if (process.exitValue() != 0) {
                if (out.contains("not a dynamic executable")) {
                    return List.of();
                }
                throw new ImageException("ldd " + file + " failed:\n" + out);
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new ImageException("cannot run ldd (part of the C library's tools, e.g. Debian's libc-bin): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while running ldd", e);
        }
    }
}
