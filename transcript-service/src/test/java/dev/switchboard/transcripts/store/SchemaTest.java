package dev.switchboard.transcripts.store;

import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Database;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SchemaTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyLanguageMapsToATextSearchConfigurationPostgresqlHas() {
        for (String config : SearchConfigs.all()) {
            assertThat(Database.count(dataSource, "SELECT count(*) AS n FROM pg_ts_config WHERE cfgname = '" + config + "'"))
                    .as(config).isEqualTo(1);
        }
    }

    @Test
    void fullTextSearchCanUseTheGinIndex() throws Exception {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            // On a small table the planner prefers a scan; without that choice it must find the index.
            statement.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (var rs = statement.executeQuery("EXPLAIN SELECT segment_id FROM segments WHERE tsv @@ websearch_to_tsquery('english', 'refund')")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            statement.execute("RESET enable_seqscan");
            assertThat(plan.toString()).contains("segments_tsv");
        }
    }
}
