package dev.switchboard.images;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An image's file system, extracted, and its programs run the way a container runtime runs them, without one: in
 * new mount and PID namespaces (whatever is mounted for the run goes away with it), with /proc and /dev mounted,
 * chrooted into the image, as the image's user, with the image's environment and nothing of the test's. The host's
 * network is shared, so a service started this way is reached on 127.0.0.1. Mounting and chroot need root.
 */
record ImageRoot(Path root, Map<String, String> imageEnvironment, String user) {

    /** Fails, saying why, unless this JVM runs as root. */
    static void requireRoot() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != 0) {
            throw new IllegalStateException("this test runs an image's entrypoint in a chroot with its own mount and PID"
                    + " namespaces, which needs root (uid 0; this JVM runs as uid " + uid + "). CI runs as root; run the"
                    + " tests as root (e.g. sudo ./switchboard test) or leave this module out with -pl '!deploy/images'.");
        }
    }

    static ImageRoot extract(ImageTarball image, Path root) throws IOException {
        image.extractTo(root);
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        return new ImageRoot(root, image.environment(), image.config().path("User").asText());
    }

    /** The image's program {@code name} as the runtime finds it: on the image's PATH, inside the image. */
    String onPath(String name) {
        if (name.startsWith("/")) {
            return name;
        }
        for (String dir : imageEnvironment.getOrDefault("PATH", "").split(":")) {
            Path candidate = root.resolve(dir.substring(1)).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return dir + "/" + name;
            }
        }
        throw new IllegalStateException(name + " is not on the image's PATH " + imageEnvironment.get("PATH"));
    }

    /** The image user's primary group, from the image's /etc/passwd. */
    String group() throws IOException {
        for (String line : Files.readAllLines(root.resolve("etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields.length > 3 && fields[2].equals(user)) {
                return fields[3];
            }
        }
        throw new IllegalStateException("the image's user " + user + " is not in its /etc/passwd");
    }

    /**
     * A process running {@code command} (its first word looked up on the image's PATH) in the image.
     *
     * @param extraEnvironment added to the image's environment, as {@code docker run -e} would
     */
    ProcessBuilder run(List<String> command, Map<String, String> extraEnvironment) throws IOException {
        List<String> argv = new ArrayList<>(List.of(hostTool("unshare"), "--mount", "--pid", "--fork", "--kill-child=SIGTERM",
                "--mount-proc=" + root.resolve("proc"), "/bin/sh", "-c",
                "root=$1 mount=$2 chroot=$3 user=$4; shift 4; \"$mount\" --rbind /dev \"$root/dev\" && exec \"$chroot\" --userspec=\"$user\" \"$root\" \"$@\"",
                "sh", root.toString(), hostTool("mount"), hostTool("chroot"), user + ":" + group()));
        argv.add(onPath(command.getFirst()));
        argv.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(imageEnvironment);
        builder.environment().putAll(extraEnvironment);
        return builder;
    }

    /** A program of this machine (util-linux, coreutils), by absolute path: the process runs with the image's PATH. */
    private static String hostTool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " (util-linux / coreutils) is not installed"));
    }

    static void delete(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
