package dev.catalogautopilot.audit.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A rebuilt fleet state in its own PostgreSQL schema: table {@code fleet_state}, shaped like rollout-service's,
 * one row per cluster and catalog. The schema must be new, so a rebuild never overwrites anything.
 */
public final class FleetStateSchema {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Connection connection;
    private final String table;

    private FleetStateSchema(Connection connection, String schema) {
        this.connection = connection;
        this.table = schema + ".fleet_state";
    }

    /** Whether {@code schema} can be used as an unquoted PostgreSQL identifier. */
    public static boolean isValidName(String schema) {
        return schema != null && NAME.matcher(schema).matches();
    }

    /** Creates the schema (an error if it exists) with its empty table, in one transaction. */
    public static FleetStateSchema create(Connection connection, String schema) throws SQLException {
        if (!isValidName(schema)) {
            throw new IllegalArgumentException("schema name '" + schema + "' must match " + NAME.pattern());
        }
        FleetStateSchema created = new FleetStateSchema(connection, schema);
        connection.setAutoCommit(false);
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE SCHEMA " + schema);
            ddl.execute("CREATE TABLE " + created.table + " ("
                    + "cluster VARCHAR(253) NOT NULL, catalog VARCHAR(253) NOT NULL, image TEXT, digest VARCHAR(80), "
                    + "state VARCHAR(16) NOT NULL, since TIMESTAMPTZ, cause_event_id VARCHAR(64), "
                    + "rollout_id VARCHAR(64), updated_at TIMESTAMPTZ, PRIMARY KEY (cluster, catalog))");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        return created;
    }

    public void write(List<FleetCell> cells) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (cluster, catalog, "
                + "image, digest, state, since, cause_event_id, rollout_id, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (FleetCell cell : cells) {
                insert.setString(1, cell.cluster());
                insert.setString(2, cell.catalog());
                insert.setString(3, cell.image());
                insert.setString(4, cell.digest());
                insert.setString(5, cell.state());
                insert.setObject(6, timestamp(cell.since()));
                insert.setString(7, cell.causedBy());
                insert.setString(8, cell.rolloutId());
                insert.setObject(9, timestamp(cell.updatedAt()));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    public List<FleetCell> read() throws SQLException {
        List<FleetCell> cells = new ArrayList<>();
        try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery(
                "SELECT cluster, catalog, image, digest, state, since, cause_event_id, rollout_id, updated_at FROM "
                        + table + " ORDER BY cluster, catalog")) {
            while (rows.next()) {
                cells.add(new FleetCell(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), instant(rows.getObject(6, OffsetDateTime.class)), rows.getString(7),
                        rows.getString(8), instant(rows.getObject(9, OffsetDateTime.class))));
            }
        }
        connection.commit();
        return cells;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
