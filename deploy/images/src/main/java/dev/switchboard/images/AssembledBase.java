package dev.switchboard.images;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A base made here, from nothing ({@code scratch}): no registry is needed. Three layers:
 * <ol>
 *   <li>the Java runtime at {@value #JAVA_HOME}, linked once per build from the building JDK ({@link JavaRuntime});</li>
 *   <li>the system's shared libraries that the runtime and the application's native code link (the C library, the
 *       C++ runtime for LiveKit's engine and ONNX Runtime...), taken from this machine ({@link SharedLibraries});</li>
 *   <li>a minimal /etc (the services' user, name-service configuration, localhost) and a world-writable /tmp, where
 *       the native libraries are copied before they are loaded.</li>
 * </ol>
 */
final class AssembledBase implements BaseImage {
    static final String JAVA_HOME = "/opt/java";
    static final String PATH = JAVA_HOME + "/bin:/usr/local/bin:/usr/bin:/bin";

    private final Path buildJavaHome;
    private Path runtime;

    AssembledBase(Path buildJavaHome) {
        this.buildJavaHome = buildJavaHome;
    }

    @Override
    public JibContainerBuilder start(Path quarkusApp, Path work, Consumer<String> log) {
        Path jre = runtime(work.getParent().resolve("java-runtime"));
        // The runtime and Switchboard's own native code must load; other libraries' copies for other systems need not.
        List<Path> required = new ArrayList<>(elfFiles(jre));
        List<Path> optional = new ArrayList<>();
        for (Path library : NativeCode.extractLibraries(quarkusApp, work.resolve("native"))) {
            (library.toString().contains(NativeCode.BUNDLED_NATIVE) ? required : optional).add(library);
        }
        Set<Path> libraries = new TreeSet<>(SharedLibraries.neededBy(required, optional, log));
        Set<Path> nameService = SharedLibraries.nameServiceModules(libraries);
        if (!nameService.isEmpty()) {
            libraries.addAll(nameService);
            libraries.addAll(SharedLibraries.neededBy(nameService, List.of(), log));
        }
        Map<AbsoluteUnixPath, Path> libraryEntries = new LinkedHashMap<>();
        for (Path library : libraries) {
            // The file itself under the name the loader looks for (ldd names the link, e.g. libc.so.6).
            libraryEntries.put(AbsoluteUnixPath.fromPath(library), realPath(library));
        }
        return Jib.fromScratch()
                .addFileEntriesLayer(Layers.tree("java-runtime", jre, AbsoluteUnixPath.get(JAVA_HOME), f -> true))
                .addFileEntriesLayer(Layers.files("system-libraries", libraryEntries, Map.of()))
                .addFileEntriesLayer(systemFiles(work.resolve("system-files")))
                .addEnvironmentVariable("JAVA_HOME", JAVA_HOME)
                .addEnvironmentVariable("PATH", PATH);
    }

    @Override
    public String describe() {
        return "scratch (Java runtime linked from " + buildJavaHome + ", system libraries of this machine)";
    }

    /** The linked runtime, made on first use and shared by the images of one build. */
    private synchronized Path runtime(Path output) {
        if (runtime == null) {
            deleteRecursively(output);
            runtime = JavaRuntime.link(buildJavaHome, output);
        }
        return runtime;
    }

    private static com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer systemFiles(Path directory) {
        Map<String, String> etc = new LinkedHashMap<>();
        etc.put("passwd", "root:x:0:0:root:/root:/sbin/nologin\n"
                + "switchboard:x:" + ServiceImage.USER + ":" + ServiceImage.USER + ":Switchboard:" + ServiceImage.APP + ":/sbin/nologin\n");
        etc.put("group", "root:x:0:\nswitchboard:x:" + ServiceImage.USER + ":\n");
        etc.put("nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        // Container runtimes mount their own /etc/hosts and /etc/resolv.conf; this one serves a plain run.
        etc.put("hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
        Map<AbsoluteUnixPath, Path> entries = new HashMap<>();
        Map<AbsoluteUnixPath, FilePermissions> permissions = new HashMap<>();
        try {
            Files.createDirectories(directory.resolve("etc"));
            for (var file : etc.entrySet()) {
                Path source = Files.writeString(directory.resolve("etc").resolve(file.getKey()), file.getValue());
                entries.put(AbsoluteUnixPath.get("/etc/" + file.getKey()), source);
            }
            Path tmp = Files.createDirectories(directory.resolve("tmp"));
            // Jib cannot set the sticky bit; the services' single user is the only one writing there.
            entries.put(AbsoluteUnixPath.get("/tmp"), tmp);
            permissions.put(AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
        } catch (IOException e) {
            throw new ImageException("cannot write the image's system files in " + directory + ": " + e.getMessage(), e);
        }
        return Layers.files("system-files", entries, permissions);
    }

    /** The ELF files of the linked runtime: its shared libraries and launchers. */
    private static List<Path> elfFiles(Path jre) {
        try (Stream<Path> files = Files.walk(jre)) {
            return files.filter(Files::isRegularFile).filter(AssembledBase::isElf).sorted().toList();
        } catch (IOException e) {
            throw new ImageException("cannot read " + jre + ": " + e.getMessage(), e);
        }
    }

    private static boolean isElf(Path file) {
        try (var in = Files.newInputStream(file)) {
            return NativeCode.isX86_64Elf(in.readNBytes(24));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path realPath(Path library) {
        try {
            return library.toRealPath();
        } catch (IOException e) {
            throw new ImageException("cannot resolve " + library + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new ImageException("cannot delete " + directory + ": " + e.getMessage(), e);
        }
    }
}
