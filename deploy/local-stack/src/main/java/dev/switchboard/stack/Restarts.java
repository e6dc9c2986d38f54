package dev.switchboard.stack;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The restarts of one thing the stack keeps running (a service, PostgreSQL) under the stack's {@link RestartPolicy}:
 * after each death either the next restart, scheduled on the stack's supervisor thread after the policy's delay and
 * announced on the console, or, once the limit is used up, the reason handed to whoever stops the stack. The same
 * bookkeeping and the same messages for everything the stack supervises.
 */
final class Restarts {
    private final String name;
    private final RestartPolicy policy;
    private final ScheduledExecutorService supervisor;
    private final PrintStream out;
    private final Consumer<String> limitExceeded;
    /** When each restart began, oldest first. */
    private final List<Instant> times = new ArrayList<>();

    /**
     * @param name          what the messages call it ("transcript-service", "PostgreSQL")
     * @param limitExceeded told the reason when one more death is more than the policy allows
     */
    Restarts(String name, RestartPolicy policy, ScheduledExecutorService supervisor, PrintStream out, Consumer<String> limitExceeded) {
        this.name = name;
        this.policy = policy;
        this.supervisor = supervisor;
        this.out = out;
        this.limitExceeded = limitExceeded;
    }

    /**
     * It died: schedules {@code restart} (given the restart's number) after the policy's delay and says so, or, when
     * the limit is used up, reports "{@code <name> <how> and has used up its restart limit (...)<seeAlso>}".
     *
     * @param how     how it ended, e.g. "exited with code 137 (killed by SIGKILL)"
     * @param seeAlso appended to the reason, e.g. "; see .switchboard/logs/transcript-service.log"
     * @return whether a restart was scheduled
     */
    boolean afterDeath(String how, String seeAlso, IntConsumer restart) {
        Optional<Duration> delay;
        int number;
        synchronized (this) {
            delay = policy.nextDelay(times, Instant.now());
            number = times.size() + 1;
        }
        if (delay.isEmpty()) {
            limitExceeded.accept(name + " " + how + " and has used up its restart limit (" + policy.describe() + ")" + seeAlso);
            return false;
        }
        out.printf("restarting %s in %s (restart %d; at most %s)%n", name, Durations.describe(delay.get()), number, policy.describe());
        supervisor.schedule(() -> restart.accept(number), delay.get().toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** A restart begins now: it counts against the limit. */
    synchronized void begin() {
        times.add(Instant.now());
    }

    synchronized int count() {
        return times.size();
    }

    /** A restart could not be carried out at all: the stack cannot keep it running. */
    void failed(String reason) {
        limitExceeded.accept(name + " could not be restarted: " + reason);
    }
}
