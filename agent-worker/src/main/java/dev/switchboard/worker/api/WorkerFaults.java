package dev.switchboard.worker.api;

import dev.switchboard.kit.problem.FaultTranslator;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.worker.llm.LlmException;
import dev.switchboard.worker.session.RoomBusyException;
import dev.switchboard.worker.session.SessionNotActiveException;
import jakarta.inject.Singleton;

import java.util.Optional;

/** What the worker's own exceptions mean for an HTTP client (the simulated-call API). */
@Singleton
public class WorkerFaults implements FaultTranslator {

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        return Optional.ofNullable(switch (failure) {
            case RoomBusyException busy -> new ProblemException(WorkerProblems.ROOM_BUSY, busy.getMessage());
            case SessionNotActiveException notActive -> new ProblemException(
                    notActive.ending() ? WorkerProblems.SESSION_ENDING : WorkerProblems.SESSION_ENDED, notActive.getMessage());
            case LlmException llm -> new ProblemException(WorkerProblems.LLM_FAILED, "the agent's LLM failed: " + llm.getMessage());
            default -> null;
        });
    }
}
