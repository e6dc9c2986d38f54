package dev.switchboard.worker.livekit;

import livekit.LivekitAgent;

import java.util.concurrent.CompletableFuture;

/** Runs the calls LiveKit assigns to this worker: joins the room and runs an agent session in it. */
public interface JobRunner {

    /** Whether the runner can take a job at all (its media engine is usable). */
    boolean ready();

    /**
     * Starts a job.
     *
     * @param url   the LiveKit server to join
     * @param token the room token LiveKit minted for the agent
     */
    RunningJob start(LivekitAgent.Job job, String url, String token);

    /** A job under way: {@code started} completes once the agent is in the room, {@code ended} when the job is over. */
    record RunningJob(String jobId, CompletableFuture<Void> started, CompletableFuture<Void> ended, Runnable terminate) {
    }
}
