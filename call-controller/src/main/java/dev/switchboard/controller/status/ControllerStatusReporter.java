package dev.switchboard.controller.status;

import dev.switchboard.controller.livekit.LiveKitClients;
import dev.switchboard.events.ControllerState;
import dev.switchboard.events.ControllerStatus;
import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the context gateways what this controller can do (switchboard.controller-status, key = controller id): RUNNING
 * with whether it can place and transfer calls (and, when it cannot, what to set) at start and every
 * {@code switchboard.controller.status-interval}, and STOPPED on a clean shutdown, followed by a tombstone. A gateway refuses a dial or transfer
 * at once (503 saying what to set) when no controller that reported recently could carry it out, instead of publishing
 * it for a controller to fail.
 */
@ApplicationScoped
@Startup // reports from the start: a gateway should know before the first dial
public class ControllerStatusReporter {
    private static final Logger LOG = Logger.getLogger(ControllerStatusReporter.class);

    private final KafkaSender<ControllerStatus> sender;
    private final String controllerId;
    private final Duration interval;
    private final boolean canDial;
    private final boolean canTransfer;
    private final String detail;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean failing = new AtomicBoolean();
    private boolean stopped; // guarded by this: nothing RUNNING goes out after STOPPED

    ControllerStatusReporter(@Channel("controller-status") MutinyEmitter<Record<String, ControllerStatus>> emitter, KafkaSenders senders,
                             LiveKitClients livekit, @ConfigProperty(name = "switchboard.controller.id") String controllerId,
                             @ConfigProperty(name = "switchboard.controller.status-interval") Duration interval, Clock clock) {
        checkInterval(interval);
        this.sender = senders.of(emitter, "controller status");
        this.controllerId = controllerId;
        this.interval = interval;
        // What DialService and TransferService need of LiveKit.
        this.canDial = livekit.rooms().isPresent() && livekit.sip().isPresent() && livekit.dispatch().isPresent();
        this.canTransfer = livekit.rooms().isPresent() && livekit.sip().isPresent();
        this.detail = canDial && canTransfer ? null : livekit.unavailable()
                .orElse("the call controller's LiveKit server API lacks what dials and transfers need");
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(ApplicationThreads.platformDaemon("controller-status"));
        timer.scheduleAtFixedRate(this::report, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Before any other start-up work, as the token settings are checked ({@code AuthSettings}), with a
     * {@link ConfigurationException}, which Quarkus prints as its message alone: one line naming the setting.
     */
    static void checkInterval(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started,
                              @ConfigProperty(name = "switchboard.controller.status-interval") Duration interval) {
        checkInterval(interval);
    }

    static void checkInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero() || interval.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigurationException("switchboard.controller.status-interval (SWITCHBOARD_CONTROLLER_STATUS_INTERVAL) must be"
                    + " positive, not " + interval);
        }
    }

    /** The status as of now. */
    ControllerStatus current(ControllerState state) {
        return ControllerStatus.newBuilder()
                .setControllerId(controllerId)
                .setState(state)
                .setSentAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setIntervalMs((int) interval.toMillis())
                .setCanDial(canDial)
                .setCanTransfer(canTransfer)
                .setDetail(detail)
                .build();
    }

    /**
     * On the timer thread: sent without waiting; the next interval tells the same. A failure is one WARN line until a
     * status goes out again (while Kafka is away every interval fails alike).
     */
    private synchronized void report() {
        if (stopped) {
            return;
        }
        try {
            sender.sendAsync(controllerId, current(ControllerState.RUNNING)).whenComplete((ok, error) -> sent(error));
        } catch (RuntimeException e) {
            sent(e);
        }
    }

    private void sent(Throwable error) {
        boolean wasFailing = failing.getAndSet(error != null);
        if (error != null && !wasFailing) {
            LOG.warnf("controller status not published (sent again every %d ms): %s", interval.toMillis(), error.getMessage());
        } else if (error != null) {
            LOG.debugf("controller status not published: %s", error.getMessage());
        } else if (wasFailing) {
            LOG.info("controller status published again");
        }
    }

    /**
     * A clean shutdown: the last status says so, and gateways stop counting on this controller at once. Then its record
     * is deleted (a tombstone, which the gateways read as "forget it"): the default id is new at every start, and
     * without the tombstone each start would leave one more controller in the compacted topic until its retention.
     */
    synchronized void stopped(@Observes ShutdownEvent event) {
        if (stopped) {
            return;
        }
        stopped = true;
        timer.shutdownNow();
        try {
            sender.sendAndAwait(controllerId, current(ControllerState.STOPPED));
            sender.sendAndAwait(controllerId, null);
            LOG.infof("call controller %s stopped; told the context gateways", controllerId);
        } catch (RuntimeException e) {
            LOG.warnf("the stopping controller status was not published (gateways see it go stale instead): %s", e.getMessage());
        }
    }

    /** This controller's id: the key of its statuses. */
    public String controllerId() {
        return controllerId;
    }
}
