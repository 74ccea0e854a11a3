package dev.catalogautopilot.testing.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    @Test
    void aCutProxyRefusesConnectionsAndDropsOpenOnesUntilRestored() throws SQLException {
        TestDatabase db = TestDatabase.create("proxy");
        try (TcpProxy proxy = TcpProxy.start(db.host(), db.port())) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name() + "?connectTimeout=5";
            try (Connection before = DriverManager.getConnection(url, db.user(), db.password())) {
                assertThat(one(before)).isEqualTo(1);
                proxy.cut();
                assertThatThrownBy(() -> one(before)).isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url, db.user(), db.password()))
                    .isInstanceOf(SQLException.class);
            proxy.restore();
            try (Connection after = DriverManager.getConnection(url, db.user(), db.password())) {
                assertThat(one(after)).isEqualTo(1);
            }
        } finally {
            db.drop();
        }
    }

    private static int one(Connection c) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery("SELECT 1")) {
            r.next();
            return r.getInt(1);
        }
    }
}
