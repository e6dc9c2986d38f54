package dev.switchboard.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One service's image: its packaged Quarkus application (target/quarkus-app) on a {@link BaseImage}, written to a
 * tarball that {@code docker load}, {@code podman load}, {@code skopeo copy docker-archive:...} and {@code crane push}
 * take. The application's layers go from the least to the most often changed: third-party libraries, Switchboard's
 * own libraries (the worker's LiveKit engine and VAD model are inside them), then the application and Quarkus's
 * generated code.
 */
public final class ServiceImage {
    public static final List<String> SERVICES = List.of("context-gateway", "transcript-service", "call-controller", "agent-worker");
    /** The tag the Kubernetes manifests name. */
    public static final String DEFAULT_TAG = "0.1.0";
    static final String REPOSITORY_PREFIX = "switchboard/";
    public static final String APP = "/app";
    /** Not root: the UID the JRE images of Red Hat use, known to the assembled base's /etc/passwd as "switchboard". */
    public static final String USER = "185";
    /** Every service listens on this port in its image (QUARKUS_HTTP_PORT), as the Kubernetes manifests expect. */
    public static final int PORT = 8080;
    /**
     * How the JVM runs a service, as the local stack runs it: native access for LiveKit's engine (FFM) and the
     * libraries that use JNI, sun.misc.Unsafe's memory access allowed without warnings (Netty, Kafka's client), heap
     * sized from the container's memory limit, and JBoss LogManager as java.util.logging's manager from the start.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:MaxRAMPercentage=75", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

    private static final String OWN_LIBRARIES = "lib/main/dev.switchboard.";

    /** A built image: where its tarball is, its digest, and how long it took. */
    public record Built(String service, String reference, Path tarball, String digest, long bytes, Duration took) {
    }

    private ServiceImage() {
    }

    /** The image's name, e.g. switchboard/agent-worker:0.1.0. */
    public static String reference(String service, String tag) {
        return REPOSITORY_PREFIX + service + ":" + tag;
    }

    /** The entrypoint: {@code java} from the image's PATH, the flags, the application. */
    public static List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(JVM_FLAGS);
        entrypoint.addAll(List.of("-jar", APP + "/quarkus-run.jar"));
        return entrypoint;
    }

    /**
     * Builds the image of {@code service} from {@code quarkusApp} into {@code tarball}.
     *
     * @param work a directory for intermediate files (the linked runtime, extracted native code)
     * @param cache Jib's layer cache, which makes a rebuild with unchanged layers quick
     */
    public static Built build(String service, Path quarkusApp, BaseImage base, String tag, Path tarball, Path work, Path cache,
            Consumer<String> log) {
        long start = System.nanoTime();
        if (!Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new ImageException(service + " is not packaged (" + quarkusApp.resolve("quarkus-run.jar")
                    + " is missing); build it first: mvn -B package -DskipTests");
        }
        NativeCode.requireBundledArtifacts(service, quarkusApp);
        String reference = reference(service, tag);
        AbsoluteUnixPath app = AbsoluteUnixPath.get(APP);
        try {
            Files.createDirectories(tarball.toAbsolutePath().getParent());
            JibContainerBuilder image = base.start(quarkusApp, work.resolve(service), log)
                    .addFileEntriesLayer(Layers.tree("dependencies", quarkusApp, app,
                            f -> f.startsWith("lib") && !f.toString().startsWith(OWN_LIBRARIES)))
                    .addFileEntriesLayer(Layers.tree("switchboard-libraries", quarkusApp, app,
                            f -> f.toString().startsWith(OWN_LIBRARIES)))
                    .addFileEntriesLayer(Layers.tree("application", quarkusApp, app, f -> !f.startsWith("lib")))
                    .setEntrypoint(entrypoint())
                    .setProgramArguments(List.of())
                    .setWorkingDirectory(app)
                    .setUser(USER)
                    .setExposedPorts(Port.tcp(PORT))
                    .addEnvironmentVariable("QUARKUS_HTTP_PORT", Integer.toString(PORT))
                    .addLabel("org.opencontainers.image.title", "switchboard-" + service)
                    .addLabel("org.opencontainers.image.version", tag)
                    .addLabel("org.opencontainers.image.base.name", base instanceof BaseImage.Existing e ? e.reference() : BaseImage.SCRATCH);
            Containerizer to = Containerizer.to(TarImage.at(tarball).named(ImageReference.parse(reference)))
                    .setApplicationLayersCache(cache)
                    .setBaseImageLayersCache(cache)
                    .setToolName("switchboard-images")
                    .addEventHandler(LogEvent.class, e -> {
                        if (e.getLevel() == LogEvent.Level.ERROR || e.getLevel() == LogEvent.Level.WARN) {
                            log.accept(e.getLevel() + ": " + e.getMessage());
                        }
                    });
            JibContainer container = image.containerize(to);
            return new Built(service, reference, tarball, container.getDigest().toString(), Files.size(tarball),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InvalidImageReferenceException e) {
            throw new ImageException("not an image name: " + reference, e);
        } catch (ExecutionException e) {
            throw new ImageException("cannot build " + reference + ": " + e.getCause(), e.getCause());
        } catch (IOException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException | com.google.cloud.tools.jib.api.RegistryException e) {
            throw new ImageException("cannot build " + reference + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while building " + reference, e);
        }
    }
}
