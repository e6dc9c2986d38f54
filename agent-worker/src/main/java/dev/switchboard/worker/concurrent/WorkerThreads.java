package dev.switchboard.worker.concurrent;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Every thread the worker makes, made so that it runs with the application's class loader.
 *
 * <p>Why: a thread inherits its context class loader from the thread that starts it, and some of the worker's
 * threads are started from threads Quarkus never saw: the JDK HTTP client's (LiveKit's agent connection, the
 * speech providers' WebSockets), whose context class loader is the JDK's application class loader, and native
 * callbacks of the media engine. In the packaged application that loader sees only {@code quarkus-run.jar}, so
 * anything that loads a class by name on such a thread (CDI creating a bean, Avro, Jackson, service loaders)
 * fails, and a call fails or succeeds depending on which thread touched a bean first. Threads made here set
 * the loader that loaded the application's classes, whoever starts them (the service kit's
 * {@link ApplicationThreads}, which every service uses).
 *
 * <p>Raw {@code Thread.ofVirtual()}, {@code new Thread} and {@code Executors.new*} stay out of the worker's code
 * (a conventions test checks it); the media engine's binding pins its own loader the same way.
 */
public final class WorkerThreads {
    private WorkerThreads() {
    }

    /** The class loader every worker thread runs with. */
    public static ClassLoader applicationClassLoader() {
        return ApplicationThreads.applicationClassLoader();
    }

    /** Starts a named virtual thread. */
    public static Thread start(String name, Runnable task) {
        Thread thread = factory(name).newThread(task);
        thread.start();
        return thread;
    }

    /** Virtual threads named {@code name}, for executors and the JDK HTTP client. */
    public static ThreadFactory factory(String name) {
        return ApplicationThreads.virtual(name);
    }

    /** A scheduler for timers; its tasks must be short (they share one thread). */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(factory(name));
    }

    /** Runs each task on its own virtual thread. */
    public static ExecutorService perTask(String name) {
        return Executors.newThreadPerTaskExecutor(factory(name));
    }

    /** Runs tasks one at a time, in order. */
    public static ExecutorService serial(String name) {
        return Executors.newSingleThreadExecutor(factory(name));
    }

    /**
     * An HTTP client builder whose callbacks (responses, WebSocket listeners) run on worker threads rather than on
     * the JDK client's own pool.
     */
    public static HttpClient.Builder httpClient(String name) {
        return HttpClient.newBuilder().executor(perTask(name));
    }
}
