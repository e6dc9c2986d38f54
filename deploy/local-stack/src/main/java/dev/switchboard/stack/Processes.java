package dev.switchboard.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
