package dev.switchboard.stack;

import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.llm.FakeLlmServer;
import dev.switchboard.testing.otel.FakeOtlpCollector;
import dev.switchboard.testing.sfu.FakeSfuProcess;
import dev.switchboard.testing.speech.FakeDeepgramServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged services as {@code ./switchboard up} runs them, on a real Kafka broker and a real PostgreSQL, with every
 * outside party they talk to played by a fake that speaks its real protocol: an OpenAI-compatible LLM, Deepgram's
 * speech APIs, LiveKit's server API (the call controller's), and a fake SFU serving rooms and the agent endpoint
 * (the worker's). A stack takes half a minute to start, so one is started per test JVM and shared by the end-to-end
 * test classes: a class gets it with {@code @ExtendWith(PackagedStack.Resolver.class)} and a {@code PackagedStack}
 * parameter. It stops when the test run ends, and then checks that nothing it started is left running.
 */
final class PackagedStack implements AutoCloseable {
    /** What the fake speech recognizer hears whenever the caller speaks. */
    static final String CALLER_SAYS = "Where is my order?";
    static final String DEEPGRAM_KEY = "dg-e2e";

    final FakeLlmServer llm;
    final FakeLiveKitServer livekitApi;
    final FakeSfuProcess sfu;
    final FakeDeepgramServer deepgram;
    /** Where every service sends its spans: the stack runs with tracing on, as an operator would turn it on. */
    final FakeOtlpCollector otlp;
    final StackSettings settings;
    final LocalStack stack;
    /** What the stack printed (the console of ./switchboard up). */
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private PackagedStack() {
        llm = new FakeLlmServer();
        livekitApi = new FakeLiveKitServer();
        otlp = new FakeOtlpCollector();
        try {
            sfu = FakeSfuProcess.start(FakeSfuProcess.Options.defaults().withLogFile(Path.of("target", "fake-sfu-logs", "packaged-stack.log")));
            deepgram = new FakeDeepgramServer(DEEPGRAM_KEY, CALLER_SAYS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the fakes of the packaged stack did not start", e);
        }
        Map<String, String> worker = new HashMap<>();
        // The worker registers with the fake SFU's /agent endpoint and takes the calls it dispatches.
        worker.put("LIVEKIT_URL", sfu.url());
        worker.put("LIVEKIT_API_KEY", sfu.apiKey());
        worker.put("LIVEKIT_API_SECRET", sfu.apiSecret());
        worker.put("DEEPGRAM_API_KEY", DEEPGRAM_KEY);
        worker.put("SWITCHBOARD_SPEECH_DEEPGRAM_BASE_URL", deepgram.baseUrl());
        settings = TestStacks.onFreePorts();
        // -Dpackaged.tracing=off runs the services untraced, as they run by default (e.g. to measure what tracing costs).
        Map<String, String> everyService = new HashMap<>(tracing() ? otlp.serviceEnvironment() : Map.of());
        everyService.putAll(Map.of("SWITCHBOARD_LLM_BASE_URL", llm.baseUrl(), "SWITCHBOARD_LLM_API_KEY", "e2e-key", "SWITCHBOARD_LLM_MODEL", "fake-model"));
        stack = LocalStack.start(settings, everyService,
                Map.of("call-controller", Map.of("LIVEKIT_URL", livekitApi.url(), "LIVEKIT_API_KEY", livekitApi.apiKey(),
                                "LIVEKIT_API_SECRET", livekitApi.apiSecret()),
                        "agent-worker", worker),
                new PrintStream(output, true));
        // Every API needs a token: the tests sign theirs with the stack's own key, as ./switchboard token does.
        StackTokens.useWithRestAssured(settings.stateDirectory());
    }

    /** Whether the services export their spans to {@link #otlp} (the default) or run untraced. */
    static boolean tracing() {
        return !"off".equalsIgnoreCase(System.getProperty("packaged.tracing", "on"));
    }

    /** "Bearer ..." for this stack's APIs (for requests RestAssured does not make). */
    String bearer() {
        return StackTokens.bearer(settings.stateDirectory());
    }

    String url(String service) {
        return stack.url(service);
    }

    /** A service's log so far. */
    String log(String service) {
        try {
            return Files.readString(settings.logs().resolve(service + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
        if (llm != null) {
            llm.close();
        }
        if (livekitApi != null) {
            livekitApi.close();
        }
        if (deepgram != null) {
            deepgram.close();
        }
        if (otlp != null) {
            otlp.close();
        }
        if (sfu != null) {
            sfu.close();
        }
        // Every service process, PostgreSQL's and the fake SFU's are gone.
        long deadline = System.currentTimeMillis() + 10_000;
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        var left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("?")).toList();
        if (!left.isEmpty()) {
            throw new AssertionError("processes left behind by the packaged stack: " + left);
        }
    }

    /** Hands the one shared stack to test classes and methods that ask for it. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == PackagedStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // The root store closes it (AutoCloseable) when the whole test run is over.
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(PackagedStack.class, key -> new PackagedStack(), PackagedStack.class);
        }
    }
}
