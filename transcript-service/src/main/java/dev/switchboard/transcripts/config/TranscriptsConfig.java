package dev.switchboard.transcripts.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * Every setting of the transcript service under {@code switchboard.transcripts}; each one is in
 * application.properties, so an environment variable (e.g. {@code SWITCHBOARD_TRANSCRIPTS_RETENTION_DAYS}) overrides it.
 */
@ConfigMapping(prefix = "switchboard.transcripts")
public interface TranscriptsConfig {

    Redaction redaction();

    Retention retention();

    Search search();

    Live live();

    Api api();

    Ingest ingest();

    /** PII detectors applied to every segment before it is stored or streamed. */
    interface Redaction {
        /** Card numbers (13 to 19 digits passing the Luhn check), written or spoken. On by default. */
        Toggle card();

        /** Phone numbers (7 to 15 digits, optional +, brackets, dashes), written or spoken. */
        Toggle phone();

        Toggle email();

        /** Any other run of at least min-length digits (account numbers, ids). */
        Digits digits();

        /** Read numbers spoken as words ("four one one one", "double five", "twenty two") as digits for the detectors above. */
        @WithName("spoken-numbers")
        Toggle spokenNumbers();

        interface Toggle {
            boolean enabled();
        }

        interface Digits {
            boolean enabled();

            @WithName("min-length")
            @WithDefault("6")
            int minLength();
        }
    }

    interface Retention {
        /** Sessions that started longer ago than this many days are purged; 0 keeps everything. */
        int days();

        /** How often the purge runs (a Quarkus scheduler period such as 1h). */
        String every();

        /** How long after start-up the first purge runs. */
        @WithName("initial-delay")
        String initialDelay();

        /** Sessions removed per transaction, so a large purge never holds long locks. */
        @WithName("batch-size")
        int batchSize();

        /**
         * How long the ids of deleted sessions are remembered, so a redelivered record cannot bring one back. Keep it
         * longer than the topics' retention (7 days).
         */
        @WithName("tombstone-days")
        int tombstoneDays();

        /**
         * Audit records that occurred longer ago than this many days are purged by the same schedule; 0 keeps the
         * trail for good (the default: how long an audit trail must be kept is the operator's policy, not ours).
         */
        @WithName("audit-days")
        int auditDays();
    }

    interface Search {
        /** The text search configuration for segments without a language and for queries without ?language=. */
        @WithName("default-config")
        String defaultConfig();
    }

    interface Live {
        /** Whether this instance tails the topics itself for the SSE stream (otherwise streams follow the database writes). */
        boolean enabled();

        /** How long recently seen live segments are kept, to close the gap between a stream's replay and its first live segment. */
        @WithName("recent-window")
        Duration recentWindow();

        /** Comment lines sent to idle streams so proxies keep them open and gone clients are noticed. */
        Duration heartbeat();

        /** After SessionEnded was stored, how long a stream waits for the live tail to end it before it ends it itself. */
        @WithName("end-grace")
        Duration endGrace();
    }

    interface Api {
        @WithName("default-page-size")
        int defaultPageSize();

        @WithName("max-page-size")
        int maxPageSize();

        /**
         * Memory for rendered transcripts, kept per session and format while the session and its lines are unchanged
         * (0 keeps none). A one-hour call is about 0.5 MB as JSON.
         */
        @WithName("transcript-cache-size")
        io.quarkus.runtime.configuration.MemorySize transcriptCacheSize();
    }

    interface Ingest {
        /** Longest pause between two attempts to write a batch while the database is unavailable. */
        @WithName("max-retry-backoff")
        Duration maxRetryBackoff();
    }
}
