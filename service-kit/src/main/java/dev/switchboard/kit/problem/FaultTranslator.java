package dev.switchboard.kit.problem;

import java.util.Optional;

/**
 * The hook for a service's own faults: a CDI bean implementing it says what one of its exception types means for
 * the client, e.g. a database outage is 503 but a value the database refuses is 400. Consulted for every exception
 * no more specific mapper handles; an exception no translator knows is an unexpected 500.
 */
public interface FaultTranslator {

    /** The problem to answer for this failure, or empty when this translator does not know it. */
    Optional<ProblemException> translate(Throwable failure);
}
