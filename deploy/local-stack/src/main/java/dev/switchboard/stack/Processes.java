package dev.switchboard.stack;

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

    /** Whether the process is a Switchboard stack: ./switchboard up's jar, or its main class. */
    static boolean isStack(ProcessHandle process) {
        String command = commandLine(process);
        return command.contains("switchboard-local-stack") || command.contains(LocalStackMain.class.getName());
    }
}
