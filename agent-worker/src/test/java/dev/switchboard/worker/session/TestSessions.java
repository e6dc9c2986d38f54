package dev.switchboard.worker.session;

import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.tools.EndCallTool;
import dev.switchboard.worker.tools.Toolbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/** Sessions for tests outside this package: a real AgentSession on a given transport, model and publisher. */
public final class TestSessions {
    private TestSessions() {
    }

    public static AgentSession create(String room, CallTransport transport, LlmClient llm, SessionPublisher publisher,
                                      ScheduledExecutorService timers) {
        var identity = new AgentSession.Identity(room, "session-" + room, "worker-1", "agent", Instant.now());
        return new AgentSession(identity, "You are a test agent.", transport, llm, Toolbox.of(new EndCallTool()), publisher,
                new Settings(Duration.ofSeconds(30)), Clock.systemUTC(), timers, s -> { });
    }

    /** Keypad settings for tests: entries end after the given pause; tones go out without spacing. */
    static AgentSettings.KeypadSettings keypad(Duration interDigitTimeout) {
        return new AgentSettings.KeypadSettings() {
            @Override
            public Duration interDigitTimeout() {
                return interDigitTimeout;
            }

            @Override
            public Duration toneSpacing() {
                return Duration.ZERO;
            }
        };
    }

    /** Agent settings for tests: the defaults, with a chosen hang-up confirmation timeout and answer screen pause. */
    record Settings(Duration hangupConfirmationTimeout, Duration greetingPause) implements AgentSettings {
        /** A person is taken to have answered after 300 ms of quiet. */
        Settings(Duration hangupConfirmationTimeout) {
            this(hangupConfirmationTimeout, Duration.ofMillis(300));
        }

        @Override
        public MachineDetectionSettings machineDetection() {
            return new MachineDetectionSettings() {
                @Override
                public Duration greetingPause() {
                    return greetingPause;
                }

                @Override
                public Duration beepWait() {
                    return Duration.ofSeconds(2);
                }
            };
        }

        @Override
        public String name() {
            return "agent";
        }

        @Override
        public String instructions() {
            return "You are a test agent.";
        }

        @Override
        public int maxToolRounds() {
            return 4;
        }

        @Override
        public Duration flushTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public int maxTextLength() {
            return 4000;
        }

        @Override
        public Opener inboundFirstSpeaker() {
            return Opener.CALLER;
        }

        /** Keypad entries end after a short pause; tones go out without spacing. */
        @Override
        public KeypadSettings keypad() {
            return TestSessions.keypad(Duration.ofMillis(300));
        }

        /** No limits: a test that wants them gives the session its own ({@link AgentSession#watchLimits}). */
        @Override
        public LimitSettings limits() {
            return new LimitSettings() {
                @Override
                public Duration maxDuration() {
                    return Duration.ZERO;
                }

                @Override
                public String closingLine() {
                    return "Time is up, goodbye.";
                }

                @Override
                public Duration silenceTimeout() {
                    return Duration.ZERO;
                }

                @Override
                public String silencePrompt() {
                    return "Are you still there?";
                }

                @Override
                public String silenceGoodbye() {
                    return "Goodbye.";
                }
            };
        }
    }
}
