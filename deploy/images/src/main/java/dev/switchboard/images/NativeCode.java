package dev.switchboard.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The native code inside a packaged application's jars: LiveKit's engine and the Silero VAD's ONNX Runtime in the
 * worker, compression and transport libraries in every service. The libraries are loaded from the jars at run time
 * (copied to a temporary file first), so the image needs whatever system libraries they link.
 */
final class NativeCode {
    /** Where the agent worker's build bundles the engine and the VAD model, or a note saying why it could not. */
    static final String BUNDLED_NATIVE = "META-INF/switchboard/native/";
    static final String UNAVAILABLE_SUFFIX = ".UNAVAILABLE.txt";

    private static final int ELF_MACHINE_X86_64 = 0x3E;

    private NativeCode() {
    }

    /** The application's jars: libraries, Quarkus's generated code, the application itself. */
    static List<Path> jars(Path quarkusApp) {
        try (Stream<Path> files = Files.walk(quarkusApp)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new ImageException("cannot read " + quarkusApp + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails when the build bundled a note instead of a native artifact (it could not fetch the engine or the VAD
     * model, e.g. without npm): an image is for running calls, and one without them would only say so when the
     * first voice call came in.
     */
    static void requireBundledArtifacts(String service, Path quarkusApp) {
        List<String> notes = new ArrayList<>();
        for (Path jar : jars(quarkusApp)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    if (entry.getName().startsWith(BUNDLED_NATIVE) && entry.getName().endsWith(UNAVAILABLE_SUFFIX)) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            notes.add(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
                        }
                    }
                }
            } catch (IOException e) {
                throw new ImageException("cannot read " + jar + ": " + e.getMessage(), e);
            }
        }
        if (!notes.isEmpty()) {
            throw new ImageException("the " + service + " application was built without native artifacts its image must"
                    + " carry; make them available and build it again (mvn package):\n" + String.join("\n", notes));
        }
    }

    /** Copies every x86-64 ELF library found in the application's jars under {@code into}, and lists the copies. */
    static List<Path> extractLibraries(Path quarkusApp, Path into) {
        List<Path> extracted = new ArrayList<>();
        for (Path jar : jars(quarkusApp)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    if (entry.isDirectory() || !looksNative(entry.getName())) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(entry)) {
                        bytes = in.readAllBytes();
                    }
                    if (isX86_64Elf(bytes)) {
                        Path target = into.resolve(jar.getFileName().toString()).resolve(entry.getName()).normalize();
                        if (!target.startsWith(into)) {
                            throw new ImageException("unsafe entry name " + entry.getName() + " in " + jar);
                        }
                        Files.createDirectories(target.getParent());
                        Files.write(target, bytes);
                        extracted.add(target);
                    }
                }
            } catch (IOException e) {
                throw new ImageException("cannot read " + jar + ": " + e.getMessage(), e);
            }
        }
        return extracted;
    }

    private static boolean looksNative(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return file.endsWith(".so") || file.contains(".so.") || file.endsWith(".node");
    }

    /** A 64-bit little-endian ELF file for x86-64 (the platform of the images; other platforms' copies are skipped). */
    static boolean isX86_64Elf(byte[] b) {
        return b.length > 20 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F' && b[4] == 2 && b[5] == 1
                && ((b[18] & 0xff) | (b[19] & 0xff) << 8) == ELF_MACHINE_X86_64;
    }
}
