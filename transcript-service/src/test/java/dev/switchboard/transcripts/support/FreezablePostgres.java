package dev.switchboard.transcripts.support;

import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.testing.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

/**
 * The shared PostgreSQL behind a TCP forwarder the test can freeze: while frozen ({@link #freeze}), connections are
 * still accepted (as a stopped postmaster's kernel still accepts them) but no byte goes either way, which is what a
 * service sees of a database stopped with {@code kill -STOP}. The flag is a system property, so the test and this
 * resource share it whatever class loader each was loaded by.
 */
public class FreezablePostgres implements QuarkusTestResourceLifecycleManager {
    private static final String FLAG = "switchboard.test.postgres-frozen";
    private ServerSocket server;

    /** True: the database answers nothing; false: everything held back flows again. */
    public static void freeze(boolean frozen) {
        System.setProperty(FLAG, Boolean.toString(frozen));
    }

    private static boolean frozen() {
        return Boolean.getBoolean(FLAG);
    }

    @Override
    public Map<String, String> start() {
        int upstream = SharedInfrastructure.postgresPort();
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread.ofPlatform().daemon().name("postgres-forwarder").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket database = new Socket(InetAddress.getLoopbackAddress(), upstream);
                    pump(client, database);
                    pump(database, client);
                } catch (IOException e) {
                    // closed, or the database refused: the client sees its connection end
                }
            }
        });
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + server.getLocalPort() + "/switchboard",
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
    }

    private static void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("postgres-forwarder-pump").start(() -> {
            byte[] buffer = new byte[16384];
            try (from; to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    while (frozen()) {
                        Thread.sleep(20);
                    }
                    int n = in.read(buffer);
                    if (n < 0) {
                        return;
                    }
                    while (frozen()) { // read before the freeze, held back until it ends
                        Thread.sleep(20);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side went away: both are closed
            }
        });
    }

    @Override
    public void stop() {
        freeze(false);
        try {
            server.close();
        } catch (IOException e) {
            // stopping anyway
        }
    }
}
