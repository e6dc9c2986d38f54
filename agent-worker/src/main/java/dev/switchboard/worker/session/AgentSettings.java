package dev.switchboard.worker.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How agents behave. Environment variables: SWITCHBOARD_AGENT_NAME, SWITCHBOARD_AGENT_INSTRUCTIONS, ... */
@ConfigMapping(prefix = "switchboard.agent")
public interface AgentSettings {

    /** The agent name reported in SessionStarted (and, for LiveKit, the dispatch name). */
    @WithDefault("switchboard-agent")
    String name();

    /** The instructions (system prompt) of a session that was not given its own. */
    @WithDefault("You are a friendly, concise voice assistant on a phone call. Speak in short sentences without"
            + " markdown, lists or emojis. When the caller's request has been handled and they have nothing else,"
            + " say a short goodbye and call the end_call tool.")
    String instructions();

    /** How many LLM rounds one turn may take when the model keeps calling tools. */
    @WithDefault("4")
    int maxToolRounds();

    /** How long to wait for the call controller to confirm a hang-up before ending the session anyway. */
    @WithDefault("30s")
    Duration hangupConfirmationTimeout();

    /** How long the end of a session waits for its last transcript lines to be acknowledged by Kafka. */
    @WithDefault("10s")
    Duration flushTimeout();

    /** The longest text a caller utterance, injection or Say may carry. */
    @WithDefault("4000")
    int maxTextLength();

    /** Who speaks first on an inbound or web call; a dialled call's own {@code firstSpeaker} decides for it (callee by default). */
    @WithDefault("agent")
    Opener inboundFirstSpeaker();

    /** Who opens a call: the agent greets the caller, or it waits for the caller to speak. */
    enum Opener { AGENT, CALLER }

    /** Keypad tones on phone calls ({@code switchboard.agent.keypad.*}, SWITCHBOARD_AGENT_KEYPAD_INTER_DIGIT_TIMEOUT, ...). */
    KeypadSettings keypad();

    /** How the caller's key presses are gathered and how the agent's tones are paced. */
    interface KeypadSettings {
        /** How long the caller may pause between keys before what they typed counts as one entry ({@code #} ends it at once). */
        @WithDefault("2s")
        Duration interDigitTimeout();

        /** The gap after each tone the agent sends, so the far end's IVR hears them apart. */
        @WithDefault("250ms")
        Duration toneSpacing();
    }

    /** Answering-machine detection on dialled calls ({@code switchboard.agent.machine-detection.*}). */
    MachineDetectionSettings machineDetection();

    /** How the callee's first words are screened when the dial asked for machine detection. */
    interface MachineDetectionSettings {
        /**
         * How long the callee must stay quiet after a short first answer ("Hello?", "Hi, this is Sam.") before a person
         * is taken to have answered and the agent replies; a greeting that goes on within it ("... leave a message after
         * the tone") is screened as a whole. It comes on top of the end-of-turn wait, and delays only the first reply.
         */
        @WithDefault("1s")
        Duration greetingPause();

        /**
         * How long the agent waits, once it knows it reached a voicemail, for the machine's beep before it leaves the
         * message anyway (some systems do not beep); a beep that ended moments before the verdict counts.
         */
        @WithDefault("4s")
        Duration beepWait();
    }

    /** A call's time limits ({@code switchboard.agent.limits.*}, SWITCHBOARD_AGENT_LIMITS_MAX_DURATION, ...). */
    LimitSettings limits();

    /** How long a call may last and how long a caller may stay silent; 0s turns a limit off. */
    interface LimitSettings {
        /** The longest call; a dial's own maximum (maxDuration) replaces it for that call. */
        @WithDefault("60m")
        Duration maxDuration();

        /** What the agent says when the maximum duration is reached, before it hangs up. */
        @WithDefault("I'm sorry, we have reached the time limit for this call. Thank you for calling, goodbye.")
        String closingLine();

        /** How long the caller of a voice call may say nothing while the agent is quiet before the agent asks once. */
        @WithDefault("30s")
        Duration silenceTimeout();

        /** What the agent asks after the first silence. */
        @WithDefault("Are you still there?")
        String silencePrompt();

        /** What the agent says before it hangs up after a second silence. */
        @WithDefault("I haven't heard from you, so I will end the call now. Goodbye.")
        String silenceGoodbye();
    }
}
