package dev.catalogautopilot.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty database on the real PostgreSQL server, dropped when the JVM exits.
 *
 * <p>The server is {@code AUTOPILOT_PG_HOST}:{@code AUTOPILOT_PG_PORT} (default 127.0.0.1:5432) with
 * {@code AUTOPILOT_PG_USER}/{@code AUTOPILOT_PG_PASSWORD} (default postgres/postgres); deploy/bootstrap.sh
 * starts one when none is reachable.
 */
public record TestDatabase(String host, int port, String name, String user, String password) {

    public static TestDatabase create(String prefix) {
        String host = env("AUTOPILOT_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("AUTOPILOT_PG_PORT", "5432"));
        String user = env("AUTOPILOT_PG_USER", "postgres");
        String password = env("AUTOPILOT_PG_PASSWORD", "postgres");
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        TestDatabase db = new TestDatabase(host, port, name, user, password);
        db.admin("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(db::drop, "drop-" + name));
        return db;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + name;
    }

    /** The Quarkus datasource settings for this database (reactive for Hibernate, JDBC for Flyway). */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.reactive.url", reactiveUrl(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    public void drop() {
        try {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException ignored) {
            // best effort at JVM exit
        }
    }

    private void admin(String sql) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " refused '" + sql
                    + "' (run deploy/bootstrap.sh to start a server): " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
