package dev.switchboard.gateway.commands;

import dev.switchboard.events.Issuer;

/**
 * Where the gateway tells of a command it refused before publishing it (no session, the session ended, the room busy,
 * an Idempotency-Key used for something else): the audit trail, so an attempt on a call leaves a trace although
 * nothing reached Kafka's command topics. A port, so that this package does not depend on how records are published.
 */
public interface RefusalRecorder {

    /**
     * @param issuer who asked (from the token)
     * @param tenant the caller's tenant: the record is theirs, and says no more than the answer they got
     * @param action the command's type (InjectContext, HangupRequested, DialRequested, ...)
     */
    void refused(Issuer issuer, String tenant, String action, CommandRefused refused);
}
