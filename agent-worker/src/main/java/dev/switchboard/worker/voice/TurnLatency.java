package dev.switchboard.worker.voice;

/**
 * How fast the agent answered one turn, in milliseconds from the end of the caller's speech (as the VAD
 * heard it) to: the turn being committed, the LLM's first token, the first synthesized audio, the first
 * audio frame played. A value is -1 when the step did not happen (e.g. the turn was interrupted).
 */
public record TurnLatency(long endOfTurnMs, long firstTokenMs, long firstAudioMs, long firstPlayedMs) {
}
