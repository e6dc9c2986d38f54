package dev.switchboard.transcripts.config;

import dev.switchboard.transcripts.store.SearchConfigs;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Beans built from configuration. */
public class ServiceProducers {

    @Produces
    @Singleton
    SearchConfigs searchConfigs(TranscriptsConfig config) {
        return new SearchConfigs(config.search().defaultConfig());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
