package dev.switchboard.transcripts.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Beans built from configuration. */
public class ServiceProducers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
