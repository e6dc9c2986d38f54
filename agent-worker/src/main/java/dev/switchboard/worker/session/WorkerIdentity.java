package dev.switchboard.worker.session;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** This worker process's id: on every session it runs and in its per-instance consumer groups. */
@ApplicationScoped
public class WorkerIdentity {
    private final String id;

    WorkerIdentity(@ConfigProperty(name = "switchboard.worker.id") String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
