package dev.switchboard.livekit.ffi;

import java.lang.System.Logger.Level;

/** A record of the engine's own log ({@code target} is the Rust module that wrote it). */
public record EngineLogRecord(Level level, String target, String message) {
}
