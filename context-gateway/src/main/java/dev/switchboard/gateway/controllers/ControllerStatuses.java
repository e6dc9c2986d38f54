package dev.switchboard.gateway.controllers;

import dev.switchboard.events.ControllerState;
import dev.switchboard.events.ControllerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the call controllers say they can do (switchboard.controller-status): the latest status of each, kept by
 * {@link ControllerStatusFollower}. A dial or transfer is refused at once when at least one controller reported RUNNING
 * recently (within {@value #FRESH_INTERVALS} of its intervals) and none of those can carry it out: published, it would
 * only fail later. Without a recent status (no controller yet, one still starting, or one older than these statuses)
 * nothing is refused: the request waits in Kafka for a controller, as it always did.
 *
 * <p>A status dated more than one interval ahead of this gateway's clock is not believed: forged, or from a controller
 * whose clock is off, it would otherwise count as recent until that date (for a year-10000 one, forever).
 *
 * <p>The interval a status declares is believed up to {@link #MAX_INTERVAL}: a forged status declaring a huge one would
 * otherwise keep a dead controller recent (and tolerate a date as far ahead) for as long as the forger likes.
 */
@ApplicationScoped
public class ControllerStatuses {
    /** How many of its intervals a controller's status counts: a missed one or two is no reason to stop believing it. */
    static final int FRESH_INTERVALS = 3;
    /** The interval assumed of a status that names none. */
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /**
     * The longest interval believed, whatever a status declares: a controller reports every 5 s by default, and one that
     * reports less often than every minute is not told apart from a dead one for longer than three minutes anyway.
     */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(ControllerStatuses.class);

    private final Map<String, ControllerStatus> latest = new ConcurrentHashMap<>();
    /** The controllers already logged for a status from the future: one line each, not one per status. */
    private final Set<String> fromTheFuture = ConcurrentHashMap.newKeySet();
    /** Likewise, the controllers already logged for declaring an interval longer than {@link #MAX_INTERVAL}. */
    private final Set<String> overlong = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    ControllerStatuses(Clock clock) {
        this.clock = clock;
    }

    /**
     * A controller's status, unless it is older than the one known (the topic is read again after a reconnect). A known
     * one dated beyond the clock-skew tolerance does not count as newer: else it would hide every real status of that
     * controller until its date came; the record read later is kept instead.
     */
    public void heard(ControllerStatus status) {
        Instant now = clock.instant();
        // One follower thread writes: reading the previous status apart from the merge only concerns the log line.
        ControllerStatus previous = latest.get(status.getControllerId());
        ControllerStatus kept = latest.merge(status.getControllerId(), status,
                (known, incoming) -> incoming.getSentAt().isBefore(known.getSentAt()) && !isFromTheFuture(known, now) ? known : incoming);
        if (status.getIntervalMs() > MAX_INTERVAL.toMillis() && overlong.add(status.getControllerId())) {
            LOG.warnf("call controller %s declares a status interval of %d ms: it is believed to be at most %d ms, so its status"
                    + " counts as recent for at most %d s", status.getControllerId(), status.getIntervalMs(), MAX_INTERVAL.toMillis(),
                    MAX_INTERVAL.multipliedBy(FRESH_INTERVALS).toSeconds());
        }
        if (isFromTheFuture(status, now)) {
            if (fromTheFuture.add(status.getControllerId())) {
                LOG.warnf("call controller %s sent a status dated %s, more than its interval ahead of this gateway's clock"
                        + " (%s): it is not believed; are the clocks in sync?", status.getControllerId(), status.getSentAt(), now);
            }
            return;
        }
        if (kept == status && changed(previous, status)) {
            // One line per controller start and per change of what it can do, not one per status (every few seconds).
            if (status.getState() == ControllerState.RUNNING && !(status.getCanDial() && status.getCanTransfer())) {
                LOG.infof("call controller %s runs but cannot %s: %s", status.getControllerId(),
                        status.getCanDial() ? "transfer calls" : status.getCanTransfer() ? "place calls" : "place or transfer calls",
                        status.getDetail());
            } else {
                LOG.debugf("call controller %s: %s, dials %s, transfers %s", status.getControllerId(), status.getState(),
                        status.getCanDial(), status.getCanTransfer());
            }
        }
    }

    private static boolean changed(ControllerStatus previous, ControllerStatus now) {
        return previous == null || previous.getState() != now.getState() || previous.getCanDial() != now.getCanDial()
                || previous.getCanTransfer() != now.getCanTransfer();
    }

    /** The latest status a controller reported, fresh or not. */
    public Optional<ControllerStatus> latest(String controllerId) {
        return Optional.ofNullable(latest.get(controllerId));
    }

    /** A controller's record was deleted from the compacted topic (a tombstone). */
    public void forget(String controllerId) {
        latest.remove(controllerId);
        fromTheFuture.remove(controllerId);
        overlong.remove(controllerId);
    }

    /** Why no dial should be published now, naming which controller lacks what and what to set; empty: publish. */
    public Optional<String> whyNoneCanDial() {
        return whyNone(ControllerStatus::getCanDial, "outbound calls cannot be placed: no running call controller can dial");
    }

    /** Why no transfer should be published now, naming which controller lacks what and what to set; empty: publish. */
    public Optional<String> whyNoneCanTransfer() {
        return whyNone(ControllerStatus::getCanTransfer, "calls cannot be transferred: no running call controller can transfer them");
    }

    private Optional<String> whyNone(Predicate<ControllerStatus> can, String refusal) {
        Instant now = clock.instant();
        List<ControllerStatus> fresh = latest.values().stream().filter(s -> isFresh(s, now)).toList();
        if (fresh.isEmpty() || fresh.stream().anyMatch(can)) {
            return Optional.empty();
        }
        String why = fresh.stream().sorted(Comparator.comparing(ControllerStatus::getControllerId))
                .map(s -> s.getControllerId() + ": " + (s.getDetail() == null ? "no reason given" : s.getDetail()))
                .distinct().limit(3).collect(Collectors.joining("; "));
        return Optional.of(refusal + " (" + why + ")");
    }

    /**
     * RUNNING, and sent within the last few of its intervals (by its clock: keep clocks in sync), or at most one
     * interval ahead of this gateway's clock (the skew tolerated).
     */
    static boolean isFresh(ControllerStatus status, Instant now) {
        if (status.getState() != ControllerState.RUNNING || isFromTheFuture(status, now)) {
            return false;
        }
        return !status.getSentAt().plus(intervalOf(status).multipliedBy(FRESH_INTERVALS)).isBefore(now);
    }

    /** Dated more than one of its intervals ahead of now: forged, or its controller's clock is off. */
    static boolean isFromTheFuture(ControllerStatus status, Instant now) {
        return status.getSentAt().isAfter(now.plus(intervalOf(status)));
    }

    /** The interval the status declares, at most {@link #MAX_INTERVAL}; {@link #DEFAULT_INTERVAL} when it declares none. */
    private static Duration intervalOf(ControllerStatus status) {
        if (status.getIntervalMs() <= 0) {
            return DEFAULT_INTERVAL;
        }
        Duration declared = Duration.ofMillis(status.getIntervalMs());
        return declared.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : declared;
    }
}
