package dev.switchboard.testing;

import dev.switchboard.infra.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a Quarkus test a database on the shared real PostgreSQL server. The database name comes from the
 * {@code database} init argument (default {@code switchboard}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private String database = "switchboard";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", SharedInfrastructure.jdbcUrl(database),
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
    }

    @Override
    public void stop() {
        // Shared by every test of this JVM; stopped by a shutdown hook.
    }
}
