package dev.catalogautopilot.testing.postgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives a {@code @QuarkusTest} application its own fresh database on the real PostgreSQL server. */
public final class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create("test");
        return database.quarkusConfig();
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}
