package dev.switchboard.controller.support;

import io.opentelemetry.context.Context;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs tasks on virtual threads, one at a time per key and in submission order, different keys in parallel.
 * Hang-ups for one room must not race (two would both call LiveKit and both publish CallEnded), while a room
 * whose LiveKit calls are being retried must not hold up every other room's hang-up.
 */
public final class KeyedSerialExecutor implements AutoCloseable {
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(ApplicationThreads.virtualNumbered("call-control-"));
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    public <T> CompletableFuture<T> submit(String key, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        // The task runs in the trace it was submitted from (a request handled on behalf of the record that carried it).
        Runnable run = Context.current().wrap(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        CompletableFuture<Void> tail;
        synchronized (tails) {
            CompletableFuture<Void> previous = tails.get(key);
            tail = previous == null ? CompletableFuture.runAsync(run, threads) : previous.thenRunAsync(run, threads);
            tails.put(key, tail);
        }
        tail.whenComplete((ignored, error) -> {
            synchronized (tails) {
                tails.remove(key, tail);
            }
        });
        return result;
    }

    /** Keys with work queued or running. */
    public int activeKeys() {
        synchronized (tails) {
            return tails.size();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
