package dev.switchboard.kit.concurrent;

import java.util.concurrent.ThreadFactory;

/**
 * Thread factories whose threads run with the application's class loader, whoever starts them.
 *
 * <p>A thread inherits its context class loader from the thread that creates it. Threads created on demand (a
 * virtual thread per task, started from a Kafka client's or the JDK HTTP client's thread) can therefore end up
 * with the JDK's application class loader, which in a packaged Quarkus service sees only {@code quarkus-run.jar}
 * and in a test sees a second copy of every class. Avro's generated builders resolve enum and record defaults
 * by name through that loader, so such a thread fails with {@code ClassNotFoundException} in production and
 * with a {@code ClassCastException} between two copies of the same class in tests. Every service makes its
 * threads here instead.
 */
public final class ApplicationThreads {
    private static final ClassLoader APPLICATION = ApplicationThreads.class.getClassLoader();

    private ApplicationThreads() {
    }

    /** The loader that loaded the service's classes, which every thread made here runs with. */
    public static ClassLoader applicationClassLoader() {
        return APPLICATION;
    }

    /** Virtual threads named {@code name}. */
    public static ThreadFactory virtual(String name) {
        return pinned(Thread.ofVirtual().name(name).factory());
    }

    /** Virtual threads named {@code prefix} followed by a counter from 0. */
    public static ThreadFactory virtualNumbered(String prefix) {
        return pinned(Thread.ofVirtual().name(prefix, 0).factory());
    }

    /** Daemon platform threads named {@code name}, for long-lived timers and writers. */
    public static ThreadFactory platformDaemon(String name) {
        return pinned(Thread.ofPlatform().name(name).daemon().factory());
    }

    private static ThreadFactory pinned(ThreadFactory factory) {
        return task -> {
            Thread thread = factory.newThread(task);
            thread.setContextClassLoader(APPLICATION);
            return thread;
        };
    }
}
