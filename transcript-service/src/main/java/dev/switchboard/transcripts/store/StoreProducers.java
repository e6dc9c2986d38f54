package dev.switchboard.transcripts.store;

import dev.switchboard.transcripts.config.TranscriptsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/** The store's beans that are built from configuration. */
public class StoreProducers {

    /** Made before any other start-up work, as the token settings are checked: a wrong setting stops the service at once. */
    @Produces
    @Singleton
    @Startup(Interceptor.Priority.PLATFORM_BEFORE)
    SearchConfigs searchConfigs(TranscriptsConfig config) {
        return new SearchConfigs(config.search().defaultConfig());
    }
}
