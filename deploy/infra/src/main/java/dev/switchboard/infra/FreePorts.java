package dev.switchboard.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finding and checking local TCP ports. */
public final class FreePorts {
    private FreePorts() {
    }

    /** The ports handed out lately, oldest first: never handed out twice in a row, however many are asked for. */
    private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();
    private static final int REMEMBERED = 1024;

    /**
     * A port the operating system considers free right now (another process may still take it before we bind), and not
     * one this JVM was handed lately: a caller picking several ports one after the other (a broker's client and
     * controller ports, a stack's seven) must get distinct ones, but a port is free again the moment its probe closes,
     * and the operating system sometimes gives the same one back.
     */
    public static synchronized int pick() {
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (true) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket); // held open while looking further, so the next probe gets another port
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    if (HANDED_OUT.size() > REMEMBERED) {
                        HANDED_OUT.remove(HANDED_OUT.iterator().next());
                    }
                    return port;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        } finally {
            held.forEach(FreePorts::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // a probe that cannot be closed holds nothing worth reporting
        }
    }

    /** Whether something already listens on, or holds, the given port on this machine. */
    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
