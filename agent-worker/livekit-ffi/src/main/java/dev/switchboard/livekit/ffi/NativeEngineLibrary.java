package dev.switchboard.livekit.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds, prepares and loads LiveKit's native engine once per process, and binds its C ABI:
 *
 * <pre>
 * void     livekit_ffi_initialize(void (*cb)(const uint8_t *, size_t), bool capture_logs, const char *sdk, const char *sdk_version);
 * uint64_t livekit_ffi_request(const uint8_t *data, size_t len, const uint8_t **res_ptr, size_t *res_len);
 * bool     livekit_ffi_drop_handle(uint64_t handle);
 * void     livekit_ffi_dispose(void);
 * </pre>
 *
 * <p>Where the library comes from, first match wins: the environment variable {@value #ENV} (e.g. the
 * official {@code liblivekit_ffi.so}), then the system property {@value #PROPERTY}, then the engine the build
 * fetched from npm and bundled in this binding's jar ({@value #BUNDLED}). A library that imports N-API symbols (the npm packaging) is
 * loaded from a private temporary copy whose {@code napi_*} imports are made WEAK (see
 * {@link ElfDynamicSymbols}); the vendor file is never modified, and a library without such imports
 * (the official one) is loaded as it is.
 */
public final class NativeEngineLibrary {

    public static final String ENV = "LIVEKIT_FFI_LIBRARY";
    public static final String PROPERTY = "livekit.ffi.library";
    /** The engine bundled by the build, a class-path resource. */
    public static final String BUNDLED = "META-INF/switchboard/native/rtc-node.linux-x64-gnu.node";
    /** Bundled instead of the engine when the build could not fetch it: says what is missing. */
    static final String UNAVAILABLE_MARKER = BUNDLED + ".UNAVAILABLE.txt";

    private static final String NAPI_PREFIX = "napi_";

    /** Where the library was found, and how: a file, or (when {@code path} is null) the bundled resource. */
    public record Location(Path path, String origin) {
        String describe() {
            return path != null ? path.toString() : "the bundled engine (" + BUNDLED + ")";
        }

        byte[] read() throws IOException {
            if (path != null) {
                return Files.readAllBytes(path);
            }
            try (var in = NativeEngineLibrary.class.getClassLoader().getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IOException("no " + BUNDLED + " on the class path");
                }
                return in.readAllBytes();
            }
        }
    }

    private static NativeEngineLibrary loaded;
    private static FfiException.Unavailable loadFailure;

    private final Location location;
    private final Path loadedFrom;
    private final List<String> weakenedSymbols;
    private final long loadNanos;
    final MethodHandle initialize;
    final MethodHandle request;
    final MethodHandle dropHandle;
    final MethodHandle dispose;
    final Linker linker = Linker.nativeLinker();

    private NativeEngineLibrary(Location location, Path loadedFrom, List<String> weakenedSymbols, SymbolLookup lookup,
            long loadNanos) {
        this.location = location;
        this.loadedFrom = loadedFrom;
        this.weakenedSymbols = weakenedSymbols;
        this.loadNanos = loadNanos;
        this.initialize = bind(lookup, "livekit_ffi_initialize",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN, ADDRESS, ADDRESS));
        this.request = bind(lookup, "livekit_ffi_request",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
        this.dropHandle = bind(lookup, "livekit_ffi_drop_handle", FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_LONG));
        this.dispose = bind(lookup, "livekit_ffi_dispose", FunctionDescriptor.ofVoid());
    }

    /** Loads the engine (once per process; later calls return the same instance or rethrow the same failure). */
    public static synchronized NativeEngineLibrary load() {
        if (loaded != null) {
            return loaded;
        }
        if (loadFailure != null) {
            throw loadFailure;
        }
        try {
            loaded = doLoad(locate());
            return loaded;
        } catch (FfiException.Unavailable e) {
            loadFailure = e;
            throw e;
        }
    }

    /** Where the engine would be loaded from, or why there is none. */
    public static Location locate() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.trim());
            if (!Files.isRegularFile(p)) {
                throw new FfiException.Unavailable(ENV + "=" + env + " is not a readable file. " + howToGetIt(), null);
            }
            return new Location(p, "environment variable " + ENV);
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop.trim());
            if (Files.isRegularFile(p)) {
                return new Location(p, "system property " + PROPERTY);
            }
            throw new FfiException.Unavailable("The file " + p + " (system property " + PROPERTY + ") does not exist.\n" + howToGetIt(), null);
        }
        if (NativeEngineLibrary.class.getClassLoader().getResource(BUNDLED) != null) {
            return new Location(null, "bundled by the build");
        }
        String reason = buildMarker().map(m -> "The build could not fetch it:\n" + m).orElse("No LiveKit engine is bundled or configured.");
        throw new FfiException.Unavailable(reason + "\n" + howToGetIt(), null);
    }

    /** True when {@link #load()} would find a library (does not load it). */
    public static boolean isConfigured() {
        try {
            locate();
            return true;
        } catch (FfiException.Unavailable e) {
            return false;
        }
    }

    /** The build's explanation of why it has no engine, if it wrote one. */
    public static Optional<String> buildMarker() {
        try (var in = NativeEngineLibrary.class.getClassLoader().getResourceAsStream(UNAVAILABLE_MARKER)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String howToGetIt() {
        return "Set " + ENV + " to LiveKit's official liblivekit_ffi.so (GitHub release livekit-ffi/v<version> of"
                + " livekit/rust-sdks, asset ffi-linux-x86_64.zip), or build with npm available so the build can fetch"
                + " @livekit/rtc-ffi-bindings-linux-x64-gnu.";
    }

    private static NativeEngineLibrary doLoad(Location location) {
        long t0 = System.nanoTime();
        Path target = location.path();
        List<String> weakened = List.of();
        Path temp = null;
        try {
            byte[] image = location.read();
            ElfDynamicSymbols elf = ElfDynamicSymbols.parse(image);
            List<ElfDynamicSymbols.Symbol> napi = elf.undefinedGlobals(n -> n.startsWith(NAPI_PREFIX));
            if (!napi.isEmpty()) {
                weakened = elf.weakenUndefined(n -> n.startsWith(NAPI_PREFIX)).stream()
                        .map(ElfDynamicSymbols.Symbol::name).toList();
            }
            if (!napi.isEmpty() || target == null) {
                // A private copy (mode 0600), deleted once mapped: no cache another user could plant a file in.
                temp = Files.createTempFile("livekit-ffi-", ".so");
                Files.write(temp, image);
                target = temp;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new FfiException.Unavailable("Cannot read " + location.describe() + " (" + location.origin() + "): " + e.getMessage()
                    + "\n" + howToGetIt(), e);
        }
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(target, Arena.global());
            return new NativeEngineLibrary(location, target, weakened, lookup, System.nanoTime() - t0);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new FfiException.Unavailable("Cannot load " + location.describe() + " (" + location.origin() + "): " + e.getMessage()
                    + "\n" + howToGetIt(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the mapping stays valid either way
                }
            }
        }
    }

    private MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        MemorySegment address = lookup.find(name).orElseThrow(() -> new FfiException.Unavailable(
                location.describe() + " does not export " + name + ": not a livekit-ffi library. " + howToGetIt(), null));
        return linker.downcallHandle(address, fd);
    }

    /** An upcall stub for {@code void cb(const uint8_t *data, size_t len)} calling the given static method, for the life of the process. */
    MemorySegment callbackStub(Class<?> owner, String method) {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(owner, method,
                    MethodType.methodType(void.class, MemorySegment.class, long.class));
            return linker.upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public Location location() {
        return location;
    }

    /** The file actually mapped: the configured one, or the (since deleted) patched copy. */
    public Path loadedFrom() {
        return loadedFrom;
    }

    /** The napi_* imports made WEAK in the copy (empty for a library loaded as it is). */
    public List<String> weakenedSymbols() {
        return weakenedSymbols;
    }

    public long loadNanos() {
        return loadNanos;
    }
}
