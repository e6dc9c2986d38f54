package dev.switchboard.worker.session;

import dev.switchboard.worker.concurrent.WorkerThreads;
import io.opentelemetry.context.Context;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a session's speaking work (turns, Say, goodbyes) one task at a time, in order, on one virtual thread, so
 * the agent never talks over itself. The running task can be interrupted (barge-in, Interrupt command) unless it
 * was submitted as uninterruptible; closing fails every queued task instead of leaving its future hanging.
 */
final class SerialTaskRunner {
    private record Task<T>(String name, boolean interruptible, Callable<T> work, CompletableFuture<T> result) {
        void run() {
            try {
                result.complete(work.call());
            } catch (InterruptedException e) {
                result.completeExceptionally(new CancellationException(name + " was interrupted"));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }
    }

    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile Task<?> current;
    private volatile boolean closed;

    SerialTaskRunner(String name) {
        worker = WorkerThreads.start(name, this::loop);
    }

    <T> CompletableFuture<T> submit(String name, boolean interruptible, Callable<T> work) {
        // The task runs in the trace it was submitted from (a Say's spoken line joins the trace of the command).
        Task<T> task = new Task<>(name, interruptible, Context.current().wrap(work), new CompletableFuture<>());
        if (closed) {
            task.result().completeExceptionally(new SessionNotActiveException("the session has ended"));
            return task.result();
        }
        queue.add(task);
        if (closed && queue.remove(task)) { // closed concurrently: fail it rather than strand it
            task.result().completeExceptionally(new SessionNotActiveException("the session has ended"));
        }
        return task.result();
    }

    /**
     * Takes a task that has not started out of the queue, by its result: true when it was still waiting (it will not
     * run, and its result is the caller's to complete), false when it has started or is done.
     */
    boolean withdraw(CompletableFuture<?> result) {
        return queue.removeIf(task -> task.result() == result);
    }

    /** Interrupts the task running now, if it may be interrupted. Returns whether something was interrupted. */
    boolean interruptCurrent() {
        Task<?> running = current;
        if (running != null && running.interruptible()) {
            worker.interrupt();
            return true;
        }
        return false;
    }

    /** Whether a task runs or waits. */
    boolean isBusy() {
        return current != null || !queue.isEmpty();
    }

    boolean isOnRunnerThread() {
        return Thread.currentThread() == worker;
    }

    /** Stops the runner: the running task is interrupted, queued ones fail. */
    void close() {
        closed = true;
        worker.interrupt();
        for (Task<?> task; (task = queue.poll()) != null; ) {
            task.result().completeExceptionally(new SessionNotActiveException("the session has ended"));
        }
    }

    private void loop() {
        while (!closed) {
            Task<?> task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue; // an interrupt meant for a task that just finished, or close()
            }
            current = task;
            task.run();
            current = null;
            Thread.interrupted(); // an interrupt aimed at the finished task must not hit the next one
        }
        for (Task<?> task; (task = queue.poll()) != null; ) {
            task.result().completeExceptionally(new SessionNotActiveException("the session has ended"));
        }
    }
}
