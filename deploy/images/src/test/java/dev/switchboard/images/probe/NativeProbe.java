package dev.switchboard.images.probe;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs inside an agent-worker image, on the image's Java runtime, with the image's jars on the class path: loads
 * LiveKit's engine and the Silero VAD model the way the worker does, and prints what it loaded. Reflection keeps
 * the probe free of dependencies: it must use the image's copies of those classes, not bring its own.
 */
public final class NativeProbe {
    private NativeProbe() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> engine = Class.forName("dev.switchboard.livekit.ffi.NativeEngineLibrary");
        Object library = engine.getMethod("load").invoke(null);
        Object location = engine.getMethod("location").invoke(library);
        String origin = (String) location.getClass().getMethod("origin").invoke(location);
        System.out.println("engine: " + origin + ", weakened " + ((java.util.List<?>) engine.getMethod("weakenedSymbols").invoke(library)).size()
                + " N-API imports");

        Class<?> model = Class.forName("dev.switchboard.worker.voice.vad.SileroVad$Model");
        Method load = model.getMethod("load", Optional.class);
        Object vad = load.invoke(null, Optional.empty());
        System.out.println("vad: " + vad.getClass().getSimpleName() + " loaded");
        System.out.println("user.name=" + System.getProperty("user.name") + " java.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        // The mounts' own options (the JDK's FileStore cannot tell a bind mount from the file system it lies on), and a
        // real write where the services write.
        Path written = Files.createTempFile("probe", ".tmp");
        Files.delete(written);
        System.out.println("mounts: / " + mountOptions("/") + ", /tmp " + mountOptions("/tmp") + "; wrote " + written);
    }

    /** Whether the topmost mount at {@code mountPoint} is "ro" or "rw", from /proc/self/mountinfo. */
    private static String mountOptions(String mountPoint) throws IOException {
        String options = "not mounted";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields[4].equals(mountPoint)) {
                options = fields[5].split(",")[0];
            }
        }
        return options;
    }
}
