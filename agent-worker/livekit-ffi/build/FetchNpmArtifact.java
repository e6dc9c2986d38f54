/*
 * Build step: fetch one file out of an npm package, verified: LiveKit's native engine for this binding (livekit-ffi,
 * from @livekit/rtc-ffi-bindings-linux-x64-gnu) and the Silero VAD model for the agent worker (from
 * @livekit/agents-plugin-silero).
 *
 * Run by the build (exec-maven-plugin, generate-resources) with the JDK that runs Maven, as a single-file
 * program: java build/FetchNpmArtifact.java --package=... --version=... --integrity=... --entry=... --out=...
 *
 * 1. --override-env names a variable (e.g. LIVEKIT_FFI_LIBRARY) that is set: that file is used; nothing is fetched.
 * 2. The file was already extracted and verified (stamp file matches): nothing to do (offline rebuilds).
 * 3. Otherwise, with the machine's npm:
 *    - with --pinned-by (e.g. @livekit/rtc-node@X): check that it really pins the package at --version,
 *    - check that the registry's published dist.integrity equals the pinned --integrity,
 *    - `npm pack` the package into --out, hash the tarball (SHA-512, SRI form) and compare,
 *    - only then extract package/<entry> from the tarball.
 * Failure: exit 1 with what is missing and how to get it, or, with --optional=true, write
 * <out>/<file name>.UNAVAILABLE.txt (read at run time and by the tests) and go on.
 */

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

public class FetchNpmArtifact {

    static String tag = "[npm-artifact] ";
    static String npm = "npm";
    static String howToFix = "";
    static String what = "";

    static final class Failure extends Exception {
        final String missing;

        Failure(String missing, String detail) {
            super(detail);
            this.missing = missing;
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("bad argument: " + a);
            }
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        String pkg = required(args, "package");
        String version = required(args, "version");
        String pinnedBy = args.getOrDefault("pinned-by", "");
        String integrity = required(args, "integrity");
        String entry = required(args, "entry");
        Path out = Path.of(required(args, "out"));
        boolean optional = Boolean.parseBoolean(args.getOrDefault("optional", "false"));
        String overrideVariable = args.getOrDefault("override-env", "");
        tag = "[" + args.getOrDefault("label", pkg) + "] ";
        howToFix = args.getOrDefault("how-to-fix", "");
        what = args.getOrDefault("what", pkg);
        npm = args.getOrDefault("npm", "npm");

        Files.createDirectories(out);
        String fileName = Path.of(entry).getFileName().toString();
        Path marker = out.resolve(fileName + ".UNAVAILABLE.txt");
        Files.deleteIfExists(marker);

        String override = overrideVariable.isEmpty() ? null : System.getenv(overrideVariable);
        if (override != null && !override.isBlank()) {
            if (Files.isRegularFile(Path.of(override))) {
                log(overrideVariable + "=" + override + ": using it, nothing fetched.");
                return;
            }
            fail(optional, marker, new Failure("the file " + overrideVariable + " names (" + override + ")",
                    overrideVariable + " is set but is not a readable file"));
            return;
        }

        Path artifact = out.resolve(fileName);
        Path stamp = out.resolve(fileName + ".verified");
        try {
            if (upToDate(artifact, stamp, integrity)) {
                log(artifact.getFileName() + " already fetched and verified (" + integrity.substring(0, 20) + "...).");
                return;
            }
            long t0 = System.nanoTime();
            fetch(pkg, version, pinnedBy, integrity, entry, out, artifact, stamp);
            log(String.format("fetched, verified and extracted %s in %d ms", artifact.getFileName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        } catch (Failure f) {
            fail(optional, marker, f);
        }
    }

    static void fetch(String pkg, String version, String pinnedBy, String integrity, String entry,
            Path out, Path artifact, Path stamp) throws Failure, IOException, InterruptedException {
        try {
            String v = run(out, List.of(npm, "--version")).trim();
            log("npm " + v);
        } catch (IOException e) {
            throw new Failure("npm (Node.js's package manager) on the PATH", "npm could not be run: " + e.getMessage());
        }

        // 1. The pin (optional): e.g. @livekit/rtc-node@X depends on @livekit/rtc-ffi-bindings at exactly <version>,
        //    which in turn pins the platform package at the same version.
        if (!pinnedBy.isEmpty()) {
            int at = pinnedBy.lastIndexOf('@');
            String umbrella = pkg.replaceFirst("-linux-x64-gnu$", "");
            String deps = npmView(out, pinnedBy, "dependencies");
            String pinned = jsonString(deps, umbrella);
            if (!version.equals(pinned)) {
                throw new Failure("a consistent version pin",
                        pinnedBy + " pins " + umbrella + " at " + pinned + ", the build expects " + version
                                + " (update the version and integrity in pom.xml)");
            }
            String optionalDeps = npmView(out, umbrella + "@" + version, "optionalDependencies");
            String platformPin = jsonString(optionalDeps, pkg);
            if (!version.equals(platformPin)) {
                throw new Failure("a consistent version pin",
                        umbrella + "@" + version + " pins " + pkg + " at " + platformPin + ", expected " + version);
            }
            log(pinnedBy.substring(0, at) + "@" + pinnedBy.substring(at + 1) + " -> " + umbrella + "@" + pinned
                    + " -> " + pkg + "@" + platformPin);
        }

        // 2. The registry's published integrity must be the one pinned in the build.
        String published = jsonValueString(npmView(out, pkg + "@" + version, "dist.integrity"));
        if (!integrity.equals(published)) {
            throw new Failure("a tarball whose published integrity matches the pin",
                    "registry publishes dist.integrity " + published + " for " + pkg + "@" + version
                            + ", the build pins " + integrity);
        }

        // 3. npm pack (the ordinary client; uses npm's cache when it can).
        String packJson = run(out, List.of(npm, "pack", pkg + "@" + version, "--json", "--pack-destination", out.toString()));
        String filename = jsonString(packJson, "filename");
        if (filename == null) {
            throw new Failure("the tarball from npm pack", "npm pack printed no filename: " + packJson);
        }
        Path tarball = out.resolve(filename);
        if (!Files.isRegularFile(tarball)) {
            throw new Failure("the tarball from npm pack", "npm pack did not write " + tarball);
        }

        // 4. Verify before extracting.
        String actual = sri(tarball);
        if (!integrity.equals(actual)) {
            Files.deleteIfExists(tarball);
            throw new Failure("an intact tarball", "tarball " + filename + " hashes to " + actual + ", expected " + integrity);
        }
        log("tarball " + filename + " verified: " + actual);

        // 5. Extract package/<entry> only.
        Path tmp = out.resolve(artifact.getFileName() + ".part");
        boolean found = extract(tarball, "package/" + entry, tmp);
        if (!found) {
            throw new Failure(entry + " inside the tarball", "no package/" + entry + " in " + filename);
        }
        Files.move(tmp, artifact, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stamp, integrity + "\n" + sri(artifact) + "\n");
        Files.deleteIfExists(tarball);
    }

    static boolean upToDate(Path artifact, Path stamp, String integrity) throws IOException {
        if (!Files.isRegularFile(artifact) || !Files.isRegularFile(stamp)) {
            return false;
        }
        List<String> lines = Files.readAllLines(stamp);
        return lines.size() >= 2 && lines.get(0).equals(integrity) && lines.get(1).equals(sri(artifact));
    }

    static String npmView(Path dir, String spec, String field) throws Failure, IOException, InterruptedException {
        return run(dir, List.of(npm, "view", spec, field, "--json"));
    }

    static String run(Path dir, List<String> cmd) throws Failure, IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        // drain both streams
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (IOException ignored) {
            }
        });
        String stdout;
        try (InputStream in = p.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new Failure("a reachable npm registry", String.join(" ", cmd) + " timed out");
        }
        t.join();
        if (p.exitValue() != 0) {
            String stderr = err.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.contains("Unknown user config")).reduce("", (a, b) -> a + "\n    " + b);
            throw new Failure("a reachable npm registry (or npm's cache)",
                    String.join(" ", cmd) + " exited " + p.exitValue() + ":" + stderr);
        }
        return stdout;
    }

    /** The string value of "key": "value" in npm's JSON output (npm's JSON is flat enough for this). */
    static String jsonString(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** npm view --json of a single string field prints a JSON string. */
    static String jsonValueString(String json) {
        String s = json.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    static String sri(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extracts one regular file from a .tgz (ustar / GNU tar, as npm writes them). */
    static boolean extract(Path tgz, String wanted, Path dest) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (readFully(in, header)) {
                if (isZeroBlock(header)) {
                    return false;
                }
                String name = longName != null ? longName : cString(header, 0, 100);
                longName = null;
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = parseOctal(header, 124, 12);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                if (type == 'L') { // GNU long name
                    byte[] nameBytes = in.readNBytes((int) padded);
                    longName = cString(nameBytes, 0, (int) size);
                    continue;
                }
                if ((type == '0' || type == 0) && name.equals(wanted)) {
                    try (OutputStream os = Files.newOutputStream(dest)) {
                        copy(in, os, size);
                    }
                    return true;
                }
                in.skipNBytes(padded);
            }
            return false;
        }
    }

    static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("truncated tar entry");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        return n == b.length;
    }

    static boolean isZeroBlock(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static long parseOctal(byte[] b, int off, int len) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (v > 0) {
                    break;
                }
                continue;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    static void fail(boolean optional, Path marker, Failure f) throws IOException {
        List<String> msg = new ArrayList<>();
        msg.add("cannot obtain " + what + ".");
        msg.add("  missing: " + f.missing);
        msg.add("  detail:  " + f.getMessage());
        msg.add("  to fix, either:");
        msg.add("    - install Node.js and npm (e.g. `apt-get install nodejs npm`) with access to the npm registry, and rebuild;");
        for (String line : howToFix.split("\\|")) {
            if (!line.isBlank()) {
                msg.add("    " + line.strip());
            }
        }
        if (optional) {
            msg.add("  the build goes on without it; what needs it reports this at run time, and its tests are skipped (outside CI).");
            Files.writeString(marker, String.join("\n", msg) + "\n");
            for (String l : msg) {
                System.out.println(tag + "WARNING " + l);
            }
            return;
        }
        for (String l : msg) {
            System.err.println(tag + "ERROR " + l);
        }
        System.exit(1);
    }

    static String required(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing --" + key + "=");
        }
        return v;
    }

    static void log(String s) {
        System.out.println(tag + s);
    }
}
