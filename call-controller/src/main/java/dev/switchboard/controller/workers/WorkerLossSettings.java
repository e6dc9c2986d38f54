package dev.switchboard.controller.workers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * When a silent agent worker counts as lost, and what becomes of its LiveKit rooms
 * ({@code SWITCHBOARD_WORKER_LOSS_LOST_AFTER}, {@code SWITCHBOARD_WORKER_LOSS_ORPHAN_ROOMS}, ...).
 */
@ConfigMapping(prefix = "switchboard.worker-loss")
public interface WorkerLossSettings {

    /**
     * How long a worker may stay silent before its sessions are ended (WORKER_LOST). With the worker's default 3 s
     * interval, 10 s tolerates two lost beats and still ends the sessions within 15 s of the worker's death
     * (its last beat is at most 3 s old when it dies, plus one {@link #checkEvery()}).
     */
    @WithDefault("10s")
    Duration lostAfter();

    /** How often the silence of every watched worker is checked. */
    @WithDefault("1s")
    Duration checkEvery();

    /**
     * How long after a worker stopped, or was declared lost, its own command topic is deleted: long enough for every
     * gateway to have seen its sessions end (so none writes there any more), short enough that stopped workers leave no
     * topics behind. A worker that starts again under the same id within it keeps its topic.
     */
    @WithDefault("1m")
    Duration commandTopicGrace();

    /** What the controller does with the LiveKit room of a session whose worker was lost. */
    @WithDefault("leave")
    OrphanRooms orphanRooms();

    enum OrphanRooms {
        /** Leave the room as it is: the caller stays, LiveKit may dispatch another agent to it (the default). */
        LEAVE,
        /** Hang up: the hang-up policy (delete the room or remove the SIP participant) with reason WORKER_LOST. */
        HANGUP
    }
}
