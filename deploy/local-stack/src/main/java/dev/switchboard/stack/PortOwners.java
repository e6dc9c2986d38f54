package dev.switchboard.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a local TCP port, so that a taken port can be named with what holds it. Linux only
 * (it reads {@code /proc/net/tcp*} for the socket and {@code /proc/<pid>/fd} for its owner) and best effort:
 * another user's processes cannot be looked into, and then the port is reported without its owner.
 */
final class PortOwners {
    private static final String LISTEN = "0A";

    private PortOwners() {
    }

    static Optional<ProcessHandle> listeningOn(int port) {
        Set<String> sockets = listeningSockets(port);
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                if (holdsAny(process, sockets)) {
                    return ProcessHandle.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // not Linux, or /proc unreadable
        }
        return Optional.empty();
    }

    /**
     * Names a process that holds a port the stack needs, and how to stop it: another checkout's Switchboard stack,
     * service or PostgreSQL by the checkout, anything else by its command line.
     */
    static String describe(ProcessHandle owner) {
        return describe(owner.pid(), Processes.arguments(owner), Processes.commandLine(owner), Processes.isStack(owner),
                Processes.environment(owner, StackSettings.STATE_DIR_VARIABLE).orElse(null));
    }

    static String describe(long pid, List<String> arguments, String command, boolean isStack) {
        return describe(pid, arguments, command, isStack, null);
    }

    /** {@code stateDirectory}: the owner's SWITCHBOARD_STATE_DIR, when it has one; the down command must name it too. */
    static String describe(long pid, List<String> arguments, String command, boolean isStack, String stateDirectory) {
        int jar = arguments.indexOf("-jar");
        if (jar >= 0 && jar + 1 < arguments.size()) {
            Path application = Path.of(arguments.get(jar + 1));
            if (isStack && jar + 2 < arguments.size()) {
                return "the Switchboard stack of " + arguments.get(jar + 2) + " (pid " + pid + "): stop it with "
                        + down(stateDirectory) + " there";
            }
            if (application.endsWith("target/quarkus-app/quarkus-run.jar") && application.getNameCount() >= 4) {
                Path module = application.getParent().getParent().getParent();
                return module.getFileName() + " of the Switchboard checkout " + module.getParent() + " (pid " + pid
                        + "): stop its stack with " + down(stateDirectory) + " there, or kill " + pid;
            }
        }
        int dataDirectory = arguments.indexOf("-D");
        if (command.contains("postgres") && dataDirectory >= 0 && dataDirectory + 1 < arguments.size()
                && Path.of(arguments.get(dataDirectory + 1)).endsWith("data/postgres")) {
            Path state = Path.of(arguments.get(dataDirectory + 1)).getParent().getParent();
            if (state.endsWith(".switchboard")) {
                return "the PostgreSQL of the Switchboard stack of " + state.getParent() + " (pid " + pid + "): stop that stack with"
                        + " ./switchboard down there (if that stack is gone, ./switchboard up there stops what it left)";
            }
            // A stack with a state directory of its own (SWITCHBOARD_STATE_DIR): another stack's, not a stranger's.
            return "the PostgreSQL of the Switchboard stack whose state is in " + state + " (pid " + pid + "): stop that stack"
                    + " with SWITCHBOARD_STATE_DIR=" + state + " ./switchboard down, or give this one other ports"
                    + " (SWITCHBOARD_POSTGRES_PORT, ...)";
        }
        String shown = command.length() > 160 ? command.substring(0, 157) + "..." : command;
        return "pid " + pid + " (" + shown + "), which this stack did not start: stop it (kill " + pid + ")";
    }

    private static String down(String stateDirectory) {
        return stateDirectory == null || stateDirectory.isBlank() ? "./switchboard down"
                : "SWITCHBOARD_STATE_DIR=" + stateDirectory + " ./switchboard down";
    }

    /** The inodes of the sockets listening on the port, as "socket:[inode]" links. */
    private static Set<String> listeningSockets(int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
                        sockets.add("socket:[" + fields[9] + "]");
                    }
                }
            } catch (IOException e) {
                // no IPv6, or not Linux
            }
        }
        return sockets;
    }

    private static boolean holdsAny(Path process, Set<String> sockets) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone
        }
        return false;
    }
}
