package dev.switchboard.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.testing.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds the four services' images the way {@code ./switchboard images} does (no base image, nothing from a
 * registry), reads them back from their tarballs, and runs the agent worker's image: its Java runtime, its native
 * engine and VAD model, and the service itself against a real broker, in a chroot as the image's user, its root file
 * system read-only but for /tmp as the Kubernetes manifests run it (see {@link ImageRoot} for a run that is not root).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent().getParent();
    private static final Path OUT = MODULE.resolve("target/test-images");
    static final List<String> SERVICES = ServiceImage.SERVICES;

    private final Map<String, ImageTarball> images = new HashMap<>();
    private ImageRoot worker;

    @BeforeAll
    void buildImages() throws IOException, InterruptedException {
        ImageRoot.requireNamespaces();
        BaseImage base = BaseImage.of(BaseImage.SCRATCH);
        for (String service : SERVICES) {
            ServiceImage.Built built = ServiceImage.build(service, ROOT.resolve(service).resolve("target/quarkus-app"), base,
                    ServiceImage.DEFAULT_TAG, OUT.resolve(service + ".tar"), OUT.resolve(".work"), OUT.resolve(".cache"),
                    System.out::println);
            System.out.printf("%s: %.0f MB in %.1f s%n", built.reference(), built.bytes() / 1e6, built.took().toMillis() / 1000.0);
            images.put(service, ImageTarball.read(built.tarball()));
        }
        ImageRoot.delete(OUT.resolve("worker-root"));
        worker = ImageRoot.extract(images.get("agent-worker"), OUT.resolve("worker-root"));
    }

    @AfterAll
    void removeExtractedImage() throws IOException {
        if (worker != null) {
            ImageRoot.delete(worker.root());
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theImageRunsItsServiceAsTheLocalStackDoes(String service) {
        ImageTarball image = images.get(service);
        assertThat(image.repoTags()).containsExactly("switchboard/" + service + ":0.1.0");
        List<String> entrypoint = image.entrypoint();
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        // The flags the local stack starts every service with: FFM for LiveKit's engine and JNI libraries without
        // warnings, and Unsafe's memory access for Netty and Kafka's client.
        assertThat(entrypoint).contains("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/app/quarkus-run.jar");
        assertThat(image.config().path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(image.config().path("User").asText()).isNotEmpty().isNotIn("0", "root").matches("\\d+");
        assertThat(fieldNames(image.config().path("ExposedPorts"))).containsExactly("8080/tcp");
        assertThat(image.environment()).containsEntry("QUARKUS_HTTP_PORT", "8080");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theKubernetesManifestNamesTheImageAndItsPort(String service) throws IOException {
        JsonNode deployment = new ObjectMapper(new YAMLFactory())
                .readValues(new YAMLFactory().createParser(ROOT.resolve("deploy/kubernetes/base/" + service + ".yaml").toFile()), JsonNode.class)
                .readAll().stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(images.get(service).repoTags()).containsExactly(container.path("image").asText());
        String port = container.at("/ports/0/containerPort").asText();
        assertThat(fieldNames(images.get(service).config().path("ExposedPorts"))).containsExactly(port + "/tcp");
    }

    @Test
    void theWorkerImageHasARuntimeItsUserCannotChange() throws IOException {
        String user = worker.user();
        assertThat(Files.readAllLines(worker.root().resolve("etc/passwd"))).anyMatch(l -> l.split(":")[2].equals(user));
        assertThat(images.get("agent-worker").ownerOf("opt/java/bin/java")).as("owned by root in the image").isZero();
        assertThat(ImageTarball.modeOf(worker.root().resolve("app/quarkus-run.jar"))).doesNotContain(OTHERS_WRITE);
        assertThat(ImageTarball.modeOf(worker.root().resolve("tmp"))).contains(OTHERS_WRITE);
    }

    @Test
    void theWorkerImageRunsItsJavaRuntime() throws Exception {
        Run run = Run.of(worker.run(List.of("java", "-version"), Map.of()).start(), Duration.ofSeconds(60));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("version \"" + Runtime.version().feature());
    }

    @Test
    void theWorkerImageLoadsLiveKitsEngineAndTheVadModel() throws Exception {
        Path probe = worker.root().resolve("probe/dev/switchboard/images/probe");
        Files.createDirectories(probe);
        Files.copy(MODULE.resolve("target/test-classes/dev/switchboard/images/probe/NativeProbe.class"), probe.resolve("NativeProbe.class"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // The image's JVM flags, its jars, and the probe instead of the application.
        List<String> command = new ArrayList<>(images.get("agent-worker").entrypoint());
        command.subList(command.size() - 2, command.size()).clear();
        command.addAll(List.of("-cp", "/app/lib/boot/*:/app/lib/main/*:/app/app/*:/probe", "dev.switchboard.images.probe.NativeProbe"));

        Run run = Run.of(worker.run(command, Map.of()).start(), Duration.ofSeconds(90));

        assertThat(run.exitCode()).as(run.output()).isZero();
        // Loaded with the root file system read-only, as in Kubernetes: the native libraries are extracted to /tmp only.
        assertThat(run.output()).contains("engine: bundled by the build", "vad: Model loaded", "java.io.tmpdir=/tmp",
                        "mounts: / ro, /tmp rw; wrote /tmp/probe")
                // --enable-native-access took effect: the JVM warns about every restricted call without it.
                .doesNotContain("WARNING: A restricted method");
        if (worker.runsAsImageUser()) {
            assertThat(run.output()).contains("user.name=switchboard");
        }
    }

    @Test
    void theWorkerStartsFromItsImageAndGetsReady() throws Exception {
        String kafka = SharedInfrastructure.kafkaBootstrapServers();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // The services refuse to start without a key to check bearer tokens with; the image's user must read it.
        Path key = worker.root().resolve("tmp/test-public-key.pem");
        var pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "QUARKUS_HTTP_PORT", Integer.toString(port),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/tmp/test-public-key.pem", "MP_JWT_VERIFY_ISSUER", "images-test",
                "MP_JWT_VERIFY_AUDIENCES", "switchboard", "HOSTNAME", "image-test");
        Path log = OUT.resolve("agent-worker.log");
        Process process = worker.run(images.get("agent-worker").entrypoint(), env)
                .redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int status = -1;
            while (status != 200 && System.nanoTime() < deadline && process.isAlive()) {
                try {
                    status = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notListeningYet) {
                    // still starting
                }
                if (status != 200) {
                    Thread.sleep(500);
                }
            }
            assertThat(status).as("readiness of the worker started from its image; its log:\n" + Files.readString(log)).isEqualTo(200);
            assertThat(Files.readString(log)).contains("agent-worker", "started in")
                    .doesNotContain("sun.misc.Unsafe::", "WARNING: A restricted method");
        } finally {
            stop(process);
        }
    }

    /**
     * Stops the image's entrypoint and the unshare around it. The entrypoint itself must be stopped: run as the image's
     * user it lost unshare's kill-on-exit (a change of user clears it), so stopping only unshare would leave it running.
     */
    private static void stop(Process process) throws Exception {
        List<ProcessHandle> inside = process.descendants().toList();
        inside.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : inside) {
            try {
                child.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                child.destroyForcibly();
            }
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(inside).as("the image's processes after the test").noneMatch(ProcessHandle::isAlive);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A finished process: its exit code and everything it printed. */
    record Run(int exitCode, String output) {
        static Run of(Process process, Duration timeout) throws Exception {
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output unreadable: " + e + ")";
                }
            });
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not finish within " + timeout + ":\n" + output.getNow(""));
            }
            return new Run(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        }
    }
}
