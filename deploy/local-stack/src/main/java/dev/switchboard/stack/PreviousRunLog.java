package dev.switchboard.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A new stack starts its logs afresh, but the last run's stay readable as {@code <name>.log.1}: a stack that stopped
 * because a service kept dying points at that service's log, and the obvious next step, {@code ./switchboard up}, must
 * not wipe the evidence. One generation is kept (the one before is replaced), so the logs cannot grow without end.
 */
final class PreviousRunLog {
    private PreviousRunLog() {
    }

    /**
     * A new run of the stack begins: Kafka's log and PostgreSQL's are started afresh (the last run's kept), and so is the
     * log of every service the stack does not run this time, so that no log of the last run looks like this one's. The
     * logs of the services it runs are kept as each starts ({@link ServiceProcess}).
     */
    static void newRun(StackSettings settings) throws IOException {
        keep(settings.infrastructureLog());
        keep(settings.postgresLog());
        Set<String> running = settings.services().stream().map(StackSettings.ServiceSpec::name).collect(Collectors.toSet());
        for (String service : StackSettings.SERVICES) {
            if (!running.contains(service)) {
                keep(settings.serviceLog(service));
            }
        }
    }

    /** Moves {@code log}, if there is one, to {@code log.1}, replacing an older one; the path of the kept copy. */
    static Path keep(Path log) throws IOException {
        Path previous = log.resolveSibling(log.getFileName() + ".1");
        if (Files.exists(log)) {
            Files.move(log, previous, StandardCopyOption.REPLACE_EXISTING);
        }
        return previous;
    }
}
