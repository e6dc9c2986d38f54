package dev.switchboard.worker.simulated;

import org.eclipse.microprofile.config.ConfigProvider;

/** The worker under test reads its commands from a topic of its own (directed delivery): tests send them there. */
final class OwnCommandTopic {
    private OwnCommandTopic() {
    }

    static String name() {
        return ConfigProvider.getConfig().getValue("switchboard.worker.command-topic", String.class);
    }
}
