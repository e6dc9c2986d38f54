package dev.switchboard.transcripts.store;

import io.quarkus.runtime.configuration.ConfigurationException;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a segment's language (a BCP 47 tag such as "en-US", or a PostgreSQL configuration name such as "german") to
 * the PostgreSQL text search configuration that stems it, so search is language-aware: "refunds" finds "refund" in
 * English, "Rechnungen" finds "Rechnung" in German. Languages PostgreSQL has no stemmer for use "simple".
 */
public final class SearchConfigs {
    public static final String SIMPLE = "simple";

    private static final Map<String, String> BY_LANGUAGE = Map.ofEntries(
            Map.entry("ar", "arabic"), Map.entry("hy", "armenian"), Map.entry("eu", "basque"), Map.entry("ca", "catalan"),
            Map.entry("da", "danish"), Map.entry("nl", "dutch"), Map.entry("en", "english"), Map.entry("fi", "finnish"),
            Map.entry("fr", "french"), Map.entry("de", "german"), Map.entry("el", "greek"), Map.entry("hi", "hindi"),
            Map.entry("hu", "hungarian"), Map.entry("id", "indonesian"), Map.entry("ga", "irish"), Map.entry("it", "italian"),
            Map.entry("lt", "lithuanian"), Map.entry("ne", "nepali"), Map.entry("no", "norwegian"), Map.entry("nb", "norwegian"),
            Map.entry("nn", "norwegian"), Map.entry("pt", "portuguese"), Map.entry("ro", "romanian"), Map.entry("ru", "russian"),
            Map.entry("sr", "serbian"), Map.entry("es", "spanish"), Map.entry("sv", "swedish"), Map.entry("ta", "tamil"),
            Map.entry("tr", "turkish"), Map.entry("yi", "yiddish"));

    private final String defaultConfig;

    /** @throws ConfigurationException (Quarkus prints it as its message alone) when the default is none of this class's */
    public SearchConfigs(String defaultConfig) {
        this.defaultConfig = find(defaultConfig).orElseThrow(() -> new ConfigurationException(
                "switchboard.transcripts.search.default-config (SWITCHBOARD_TRANSCRIPTS_SEARCH_DEFAULT_CONFIG) = '" + defaultConfig
                        + "' is not a known text search configuration (a language such as en or de, a PostgreSQL configuration"
                        + " such as english, or simple)"));
    }

    public String defaultConfig() {
        return defaultConfig;
    }

    /** The configuration for a segment: its language's, the default when it has none, simple for unknown ones. */
    public String forSegment(String language) {
        if (language == null || language.isBlank()) {
            return defaultConfig;
        }
        return find(language).orElse(SIMPLE);
    }

    /** The configuration a query names (?language=), or the default. */
    public Optional<String> forQuery(String language) {
        if (language == null || language.isBlank()) {
            return Optional.of(defaultConfig);
        }
        return find(language);
    }

    /**
     * The configuration as a SQL constant ('english'::regconfig). A constant, not a parameter: only then can the
     * planner evaluate the query's tsquery while planning and estimate how many lines match, which decides between
     * the GIN index (rare words) and the newest-first scan (frequent words). Only names of this class's own list
     * get here; anything else is refused rather than quoted.
     */
    static String literal(String config) {
        if (!all().contains(config)) {
            throw new IllegalArgumentException("not a text search configuration of this service: " + config);
        }
        return "'" + config + "'::regconfig";
    }

    /** Every configuration this service may use, to check they exist in the database. */
    public static java.util.Set<String> all() {
        var all = new java.util.TreeSet<>(BY_LANGUAGE.values());
        all.add(SIMPLE);
        return all;
    }

    private static Optional<String> find(String language) {
        String tag = language.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (BY_LANGUAGE.containsValue(tag) || tag.equals(SIMPLE)) {
            return Optional.of(tag);
        }
        int dash = tag.indexOf('-');
        String primary = dash < 0 ? tag : tag.substring(0, dash);
        return Optional.ofNullable(BY_LANGUAGE.get(primary));
    }
}
