package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.FfiProto.LogLevel;
import dev.switchboard.livekit.ffi.proto.FfiProto.LogRecord;
import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's log batches, without an engine. */
class EngineLogsTest {
    private static LogRecord record(LogLevel level, String message) {
        return LogRecord.newBuilder().setLevel(level).setTarget("livekit::rtc_engine").setMessage(message).build();
    }

    @Test
    void everyRecordIsCountedAndWarningsAndErrorsAreKept() {
        var logs = new EngineLogs(Level.INFO);

        logs.batch(List.of(record(LogLevel.LOG_INFO, "connected"), record(LogLevel.LOG_WARN, "handle not found"),
                record(LogLevel.LOG_DEBUG, "ice candidate"), record(LogLevel.LOG_ERROR, "signal closed")));

        assertThat(logs.records()).isEqualTo(4);
        assertThat(logs.recentWarnings()).containsExactly(
                new EngineLogRecord(Level.WARNING, "livekit::rtc_engine", "handle not found"),
                new EngineLogRecord(Level.ERROR, "livekit::rtc_engine", "signal closed"));
    }

    @Test
    void onlyTheLast64WarningsAreKept() {
        var logs = new EngineLogs(Level.ERROR);

        logs.batch(IntStream.range(0, 70).mapToObj(i -> record(LogLevel.LOG_WARN, "warning " + i)).toList());

        assertThat(logs.recentWarnings()).hasSize(64);
        assertThat(logs.recentWarnings().getFirst().message()).isEqualTo("warning 6");
        assertThat(logs.recentWarnings().getLast().message()).isEqualTo("warning 69");
    }
}
