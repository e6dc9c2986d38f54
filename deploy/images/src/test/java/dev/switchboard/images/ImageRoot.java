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
 * the image's file system read-only but for /tmp (as the Kubernetes manifests run it), chrooted into the image, with
 * the image's environment and nothing of the test's. The host's network is shared, so a
 * service started this way is reached on 127.0.0.1.
 *
 * <p>Mounting and chroot need root. Run as root (as CI does), the program runs as the image's user. Run as anyone
 * else, it runs in a user namespace of its own as well, where the invoking user is root (as rootless container
 * runtimes do); only that one user exists there, so the program runs as root of that namespace rather than as the
 * image's user, whose setting the test checks in the image's configuration instead.
 */
record ImageRoot(Path root, Map<String, String> imageEnvironment, String user) {
    private static final boolean ROOT = uid() == 0;
    /**
     * As the Kubernetes manifests run the services (readOnlyRootFilesystem, an emptyDir on /tmp): the image's root
     * bound onto itself and made read-only, its /tmp a mount of its own that stays writable.
     */
    private static final String READ_ONLY_ROOT = "\"$mount\" --rbind \"$root\" \"$root\" && \"$mount\" --bind \"$root/tmp\" \"$root/tmp\""
            + " && \"$mount\" -o remount,bind,ro \"$root\" && ";

    /** Fails, saying why, when this JVM can neither act as root nor make a user namespace of its own. */
    static void requireNamespaces() throws IOException, InterruptedException {
        if (ROOT) {
            return;
        }
        Process probe = new ProcessBuilder(hostTool("unshare"), "--user", "--map-root-user", "--mount", "--pid", "--fork", "true")
                .redirectErrorStream(true).start();
        String said = new String(probe.getInputStream().readAllBytes()).strip();
        if (probe.waitFor() != 0) {
            throw new IllegalStateException("this test runs an image's entrypoint in a chroot with its own mount and PID"
                    + " namespaces, which needs root or unprivileged user namespaces; this JVM runs as uid " + uid()
                    + " and 'unshare --user --map-root-user' failed (" + said + "). Enable user namespaces (e.g. sysctl"
                    + " kernel.unprivileged_userns_clone=1 or, on Ubuntu, kernel.apparmor_restrict_unprivileged_userns=0),"
                    + " run the tests as root, or leave this module out with -pl '!deploy/images'.");
        }
    }

    /** Whether programs run as the image's user (as root), or as root of a user namespace of their own. */
    boolean runsAsImageUser() {
        return ROOT;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this process's uid from /proc/self", e);
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
        List<String> argv = new ArrayList<>(List.of(hostTool("unshare")));
        if (!ROOT) {
            argv.addAll(List.of("--user", "--map-root-user"));
        }
        // In a user namespace of its own the process may not set its groups (setgroups is denied there): no --userspec.
        String chroot = ROOT ? "exec \"$chroot\" --userspec=\"$user\" \"$root\" \"$@\"" : "exec \"$chroot\" \"$root\" \"$@\"";
        argv.addAll(List.of("--mount", "--pid", "--fork", "--kill-child=SIGTERM", "--mount-proc=" + root.resolve("proc"), "/bin/sh", "-c",
                "root=$1 mount=$2 chroot=$3 user=$4; shift 4; " + READ_ONLY_ROOT + "\"$mount\" --rbind /dev \"$root/dev\" && " + chroot,
                "sh", root.toString(), hostTool("mount"), hostTool("chroot"), ROOT ? user + ":" + group() : "-"));
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
