package dev.switchboard.livekit.ffi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding makes one thread, its dispatcher, on which room events reach application code. It runs with the
 * binding's own class loader whoever starts the engine: in a packaged application the thread that happens to start
 * it (one the JDK made) may have a loader that cannot see the application's classes.
 */
class BindingThreadsTest {

    /** Read from the compiled classes (the JDK's class-file API), so no way of making a thread is missed. */
    @Test
    void theDispatcherIsTheOnlyThreadTheBindingMakes() throws IOException {
        List<String> threads = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("target", "classes"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                ClassModel type = ClassFile.of().parse(Files.readAllBytes(file));
                for (MethodModel method : type.methods()) {
                    method.code().ifPresent(code -> code.elementStream().forEach(element -> {
                        String made = switch (element) {
                            case NewObjectInstruction created when created.className().asInternalName().equals("java/lang/Thread") -> "new Thread";
                            case InvokeInstruction call when call.owner().asInternalName().equals("java/lang/Thread")
                                    && call.name().stringValue().matches("ofPlatform|ofVirtual|startVirtualThread") -> "Thread." + call.name().stringValue();
                            case InvokeInstruction call when call.owner().asInternalName().equals("java/util/concurrent/Executors")
                                    && call.name().stringValue().startsWith("new") -> "Executors." + call.name().stringValue();
                            default -> null;
                        };
                        if (made != null) {
                            threads.add(type.thisClass().asInternalName() + "." + method.methodName().stringValue() + ": " + made);
                        }
                    }));
                }
            }
        }
        assertThat(threads).containsExactly("dev/switchboard/livekit/ffi/LiveKitEngine.<init>: Thread.ofPlatform");
    }

    @Test
    void theDispatcherRunsWithTheBindingsLoaderWhoeverStartsTheEngine() throws Exception {
        EngineTests.assumeEngineAvailable();
        ClassLoader foreign = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        LiveKitEngine started;
        try (ExecutorService outsider = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "outsider");
            thread.setContextClassLoader(foreign);
            return thread;
        })) {
            started = outsider.submit(EngineTests::start).get(30, TimeUnit.SECONDS);
        }
        try (LiveKitEngine engine = started) {
            Thread dispatcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("livekit-ffi-dispatcher")).findFirst().orElseThrow();
            assertThat(dispatcher.getContextClassLoader()).isSameAs(LiveKitEngine.class.getClassLoader()).isNotSameAs(foreign);
        }
    }
}
