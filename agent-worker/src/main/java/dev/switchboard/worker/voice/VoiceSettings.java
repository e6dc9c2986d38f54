package dev.switchboard.worker.voice;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Turn-taking for voice calls. Environment variables: SWITCHBOARD_VOICE_ACTIVATION_THRESHOLD,
 * SWITCHBOARD_VOICE_MIN_SPEECH, SWITCHBOARD_VOICE_MIN_SILENCE, SWITCHBOARD_VOICE_MIN_ENDPOINTING_DELAY, ...
 */
@ConfigMapping(prefix = "switchboard.voice")
public interface VoiceSettings {

    /** VAD probability above which a window counts as speech. */
    @WithDefault("0.5")
    float activationThreshold();

    /** How long speech must last before it counts (filters clicks and coughs). */
    @WithDefault("100ms")
    Duration minSpeech();

    /** How long silence must last before the caller's speech counts as ended. */
    @WithDefault("400ms")
    Duration minSilence();

    /** After the caller stops, how long to wait for more before answering (when the transcript is final). */
    @WithDefault("300ms")
    Duration minEndpointingDelay();

    /** The longest wait for the recognizer's final transcript after the caller stopped. */
    @WithDefault("3s")
    Duration maxEndpointingDelay();

    /** How long the caller must talk over the agent before the agent stops (barge-in). */
    @WithDefault("250ms")
    Duration minInterruption();

    /** When the caller hangs up mid-sentence: how long to wait for the recognizer's last words. */
    @WithDefault("2s")
    Duration lastWordsWait();
}
