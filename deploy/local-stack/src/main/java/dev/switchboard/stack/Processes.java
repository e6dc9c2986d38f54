package dev.switchboard.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the stack needs to know about other processes: what they run. */
final class Processes {
    private Processes() {
    }

    /** The command line, or the command alone when the arguments cannot be read (another user's process). */
    static String commandLine(ProcessHandle process) {
        return process.info().commandLine().or(() -> process.info().command()).orElse("");
    }

    static List<String> arguments(ProcessHandle process) {
        return List.of(process.info().arguments().orElse(new String[0]));
    }

    /** A variable of the process's environment, when it can be read (Linux, a process of this user). */
    static Optional<String> environment(ProcessHandle process, String name) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
            String prefix = name + "=";
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith(prefix)) {
                    return Optional.of(entry.substring(prefix.length()));
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, another user's process, or it has just gone
        }
        return Optional.empty();
    }

    /**
     * Whether the process runs: alive, and not a zombie. Java counts a process that has died but not been reaped by its
     * parent as alive; a detached one (PostgreSQL's postmaster, whose parent is init) can stay a zombie for seconds.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // "<pid> (<command>) <state> ...": the command may contain spaces and brackets, the state follows the last ')'.
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : 'R';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return process.isAlive(); // no /proc (not Linux), or it has just gone
        }
    }

    /** Whether the process is a Switchboard stack: ./switchboard up's jar, or its main class. */
    static boolean isStack(ProcessHandle process) {
        String command = commandLine(process);
        return command.contains("switchboard-local-stack") || command.contains(LocalStackMain.class.getName());
    }
}
