package dev.switchboard.transcripts.store;

import dev.switchboard.transcripts.config.TranscriptsConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The store's beans that are built from configuration. */
public class StoreProducers {

    @Produces
    @Singleton
    SearchConfigs searchConfigs(TranscriptsConfig config) {
        return new SearchConfigs(config.search().defaultConfig());
    }
}
