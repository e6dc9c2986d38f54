package dev.switchboard.transcripts.store;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V7 composes the lines a store holds from before transcripts were stored composed (NFC): an upgraded store must
 * find "café" in a line whose é was stored as e and a combining accent. Run in a schema of its own, migrated to V6,
 * given such lines, then migrated to the latest version, as an upgrade does.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ComposedTextMigrationTest {
    private static final String SCHEMA = "upgrade_from_v6";
    private static final String COMPOSED = "Le café est fermé";
    private static final String DECOMPOSED = Normalizer.normalize(COMPOSED, Normalizer.Form.NFD);

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void linesStoredDecomposedBeforeV7AreComposedAndFoundAfterTheUpgrade() throws SQLException {
        assertThat(DECOMPOSED).as("the test's premise").isNotEqualTo(COMPOSED);
        migrate("6");
        UUID decomposed = UUID.randomUUID();
        UUID composed = UUID.randomUUID();
        insert(decomposed, DECOMPOSED, DECOMPOSED);
        insert(composed, COMPOSED, null);
        assertThat(matches("café")).as("before the upgrade the decomposed line is not found").containsExactly(composed);

        migrate(null);

        assertThat(text(decomposed, "text")).isEqualTo(COMPOSED);
        assertThat(text(decomposed, "generated_text")).isEqualTo(COMPOSED);
        assertThat(text(composed, "text")).isEqualTo(COMPOSED);
        assertThat(text(composed, "generated_text")).isNull();
        assertThat(matches("café")).containsExactlyInAnyOrder(decomposed, composed);
    }

    /** Migrates the test's schema to the version, or to the latest when null. */
    private void migrate(String target) {
        var configuration = Flyway.configure().dataSource(dataSource).schemas(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private void insert(UUID segmentId, String text, String generatedText) throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                "INSERT INTO " + SCHEMA + ".segments (segment_id, session_id, room, sequence, revision, role, text, start_ms,"
                        + " end_ms, is_final, interrupted, generated_text, created_at, search_config)"
                        + " VALUES (?, ?, 'room-v7', 1, 1, 'AGENT', ?, 0, 1000, true, false, ?, now(), 'french')")) {
            statement.setObject(1, segmentId);
            statement.setObject(2, UUID.randomUUID());
            statement.setString(3, text);
            statement.setString(4, generatedText);
            statement.executeUpdate();
        }
    }

    private String text(UUID segmentId, String column) throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                "SELECT " + column + " FROM " + SCHEMA + ".segments WHERE segment_id = ?")) {
            statement.setObject(1, segmentId);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).as("segment %s", segmentId).isTrue();
                return rows.getString(1);
            }
        }
    }

    private List<UUID> matches(String query) throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                "SELECT segment_id FROM " + SCHEMA + ".segments WHERE tsv @@ websearch_to_tsquery('french', ?)")) {
            statement.setString(1, query);
            var found = new ArrayList<UUID>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getObject(1, UUID.class));
                }
            }
            return found;
        }
    }
}
