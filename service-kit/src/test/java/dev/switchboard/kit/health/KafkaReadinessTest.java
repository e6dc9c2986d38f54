package dev.switchboard.kit.health;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaReadinessTest {

    /**
     * A broker that accepts connections and never answers (frozen with SIGSTOP, say): Quarkus' own check waited for
     * default.api.timeout.ms, a minute, before it said DOWN. Bounded at 3 s; 15 s allowed so a loaded machine never fails it.
     */
    @Test
    void aBrokerThatAcceptsButNeverAnswersIsDownWithinSeconds() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never read or write
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            KafkaReadiness check = new KafkaReadiness(Map.of("bootstrap.servers", "127.0.0.1:" + silent.getLocalPort(),
                    "group.id", "not an admin setting"));
            try {
                long started = System.nanoTime();
                HealthCheckResponse response = check.call();
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(response.getName()).isEqualTo(KafkaReadiness.NAME);
                assertThat(took).isLessThan(Duration.ofSeconds(15));
                assertThat(accepted).as("the admin client did connect").isNotEmpty();
                System.out.printf("readiness against a silent broker: DOWN after %d ms (%s)%n", took.toMillis(),
                        response.getData().orElseThrow().get("reason"));
            } finally {
                check.close();
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
            acceptor.interrupt();
        }
    }

    @Test
    void noBrokerAtAllIsDown() {
        KafkaReadiness check = new KafkaReadiness(Map.of("bootstrap.servers", "127.0.0.1:1"));
        try {
            assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        } finally {
            check.close();
        }
    }
}
