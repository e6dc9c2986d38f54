package dev.switchboard.worker.session;

import java.util.concurrent.CompletableFuture;

/**
 * Says when commands sent to this worker's calls can reach them: a call taken before that would miss its first
 * commands. The Kafka adapter knows (its command consumer has its partitions and positions); whoever takes calls
 * (the LiveKit registration) waits for it without depending on the adapter.
 */
public interface CommandReach {
    /** The CDI identifier of the one implementation, which is also the command channel's rebalance listener. */
    String NAME = "agent-worker-session-commands-positioned";

    /** Completes once commands reach this worker's calls. */
    CompletableFuture<Void> positioned();
}
