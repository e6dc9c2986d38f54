package dev.switchboard.worker.kafka;

import dev.switchboard.events.ContextRole;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.serde.SessionCommandDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What broadcasting commands costs a worker: every worker reads every session command and skips those for
 * rooms it does not run. This measures that skip (decode the record, look the room up) per command, in the
 * worker's JVM; the broker and network cost of fetching the bytes comes on top. Not part of the normal build:
 *
 * <pre>mvn -pl agent-worker test -Pbenchmark -Dtest=CommandFanOutBenchmark</pre>
 */
@Tag("benchmark")
class CommandFanOutBenchmark {

    @Test
    void costOfSkippingAnotherWorkersCommand() {
        Commands commands = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));
        AvroSerializer<SessionCommand> serializer = new AvroSerializer<>();
        byte[][] records = new byte[10_000][];
        for (int i = 0; i < records.length; i++) {
            records[i] = serializer.serialize("t", commands.injectContext("room-" + i, ContextRole.SYSTEM,
                    "The customer's order 1042 shipped today with UPS, tracking number 1Z999AA10123456784.", true));
        }
        Map<String, Object> runningRooms = new ConcurrentHashMap<>();
        for (int i = 0; i < 25; i++) {
            runningRooms.put("mine-" + i, new Object());
        }
        var deserializer = new SessionCommandDeserializer();
        long skipped = 0;
        for (int round = 0; round < 50; round++) { // warm-up
            skipped += skip(records, deserializer, runningRooms);
        }
        int rounds = 200;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            skipped += skip(records, deserializer, runningRooms);
        }
        double nanosPerCommand = (System.nanoTime() - start) / (double) (rounds * records.length);
        System.out.printf("%n=== command fan-out: %.0f bytes per command, %.2f us to decode and skip one on a worker "
                        + "-> one core skips %.0f commands/s (skipped %d) ===%n",
                (double) java.util.Arrays.stream(records).mapToInt(r -> r.length).sum() / records.length,
                nanosPerCommand / 1000, 1e9 / nanosPerCommand, skipped);
    }

    private static long skip(byte[][] records, SessionCommandDeserializer deserializer, Map<String, Object> runningRooms) {
        long skipped = 0;
        for (byte[] record : records) {
            SessionCommand command = deserializer.deserialize("switchboard.session-commands", record);
            if (!runningRooms.containsKey(command.getRoom())) {
                skipped++;
            }
        }
        return skipped;
    }
}
