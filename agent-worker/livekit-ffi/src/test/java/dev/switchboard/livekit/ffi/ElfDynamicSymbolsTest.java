package dev.switchboard.livekit.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(0)
class ElfDynamicSymbolsTest {

    /** The engine file: the configured one, or the one the build fetched (the tests run in the module directory). */
    private static Path engineFile() {
        EngineTests.assumeEngineAvailable();
        Path configured = NativeEngineLibrary.locate().path();
        return configured != null ? configured : Path.of("target/native/rtc-node.linux-x64-gnu.node");
    }

    @Test
    void findsTheNapiImportsNmReports() throws Exception {
        Path engine = engineFile();
        ElfDynamicSymbols elf = ElfDynamicSymbols.parse(Files.readAllBytes(engine));
        Set<String> ours = elf.undefinedGlobals(n -> n.startsWith("napi_")).stream()
                .map(ElfDynamicSymbols.Symbol::name).collect(Collectors.toCollection(TreeSet::new));
        System.out.printf("[measure] %s imports %d napi_* symbols: %s%n", engine.getFileName(), ours.size(), ours);

        Set<String> nm = nmUndefined(engine);
        if (nm != null) { // cross-check with binutils when the machine has it
            assertThat(ours).isEqualTo(nm.stream().filter(n -> n.startsWith("napi_")).collect(Collectors.toCollection(TreeSet::new)));
        }
        if (engine.getFileName().toString().endsWith(".node")) {
            assertThat(ours).hasSize(45).contains("napi_create_function", "napi_call_threadsafe_function");
        }
        // The C ABI is exported (defined, global).
        assertThat(elf.symbols()).filteredOn(s -> !s.undefined() && s.name().startsWith("livekit_ffi_"))
                .extracting(ElfDynamicSymbols.Symbol::name)
                .contains("livekit_ffi_initialize", "livekit_ffi_request", "livekit_ffi_drop_handle", "livekit_ffi_dispose");
    }

    @Test
    void weakeningChangesOneBytePerSymbolOnACopyOnly() throws Exception {
        Path engine = engineFile();
        byte[] original = Files.readAllBytes(engine);
        String before = sha256(original);
        byte[] copy = original.clone();
        ElfDynamicSymbols elf = ElfDynamicSymbols.parse(copy);
        List<ElfDynamicSymbols.Symbol> changed = elf.weakenUndefined(n -> n.startsWith("napi_"));

        int differing = 0;
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] != original[i]) {
                differing++;
            }
        }
        assertThat(differing).isEqualTo(changed.size());
        ElfDynamicSymbols reparsed = ElfDynamicSymbols.parse(copy);
        assertThat(reparsed.undefinedGlobals(n -> n.startsWith("napi_"))).isEmpty();
        assertThat(reparsed.symbols()).filteredOn(s -> s.name().startsWith("napi_") && s.undefined())
                .allMatch(ElfDynamicSymbols.Symbol::isWeak)
                .hasSize(changed.size());
        // every other symbol is untouched
        assertThat(reparsed.symbols()).filteredOn(s -> !s.name().startsWith("napi_"))
                .isEqualTo(elf.symbols().stream().filter(s -> !s.name().startsWith("napi_")).toList());
        assertThat(sha256(Files.readAllBytes(engine))).as("vendor file untouched").isEqualTo(before);
        assertThat(Arrays.equals(original, Files.readAllBytes(engine))).isTrue();
    }

    @Test
    void aLibraryWithoutNapiImportsWouldBeLoadedAsItIs() throws Exception {
        // Stands in for the official liblivekit_ffi.so (not reachable from this machine): any ordinary
        // shared object has no napi_* import, so the loader maps it unchanged.
        Path libc = Stream.of("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6")
                .map(Path::of).filter(Files::isRegularFile).findFirst().orElseThrow();
        ElfDynamicSymbols elf = ElfDynamicSymbols.parse(Files.readAllBytes(libc));
        assertThat(elf.symbols()).isNotEmpty();
        assertThat(elf.undefinedGlobals(n -> n.startsWith("napi_"))).isEmpty();
    }

    @Test
    void rejectsWhatIsNotA64BitElfFile() {
        assertThatThrownBy(() -> ElfDynamicSymbols.parse("not an elf file at all, clearly not one".repeat(3).getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ELF");
    }

    private static Set<String> nmUndefined(Path file) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("nm", "-D", "--undefined-only", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out.lines().map(String::trim).filter(l -> !l.isEmpty()).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .map(n -> n.contains("@") ? n.substring(0, n.indexOf('@')) : n)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return null; // no binutils here
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
