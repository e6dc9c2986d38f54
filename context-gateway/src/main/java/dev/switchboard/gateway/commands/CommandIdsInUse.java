package dev.switchboard.gateway.commands;

import java.util.Optional;

/**
 * Command ids taken by requests this package does not track (the calls the gateway dials), so that an Idempotency-Key
 * a tenant dialled with is not reused for a session command: both would carry one commandId, and the results of the
 * dial and of the command could not be told apart. Implemented where those requests are kept, so this package need
 * not know them.
 */
public interface CommandIdsInUse {

    /** What holds the id: e.g. "a call into room \"r1\"", and whose it is (a tenant name; null counts as default). */
    record Use(String what, String tenant) {
    }

    Optional<Use> find(String commandId);
}
