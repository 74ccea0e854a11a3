package dev.catalogautopilot.outbox;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Makes one instance of a service its outbox publisher. Two relays publishing the same rows would send every event
 * twice and could interleave their order, so the relay publishes only while it holds a PostgreSQL session advisory
 * lock on a dedicated connection. The lock dies with the connection, so another instance takes over as soon as the
 * holder stops or crashes.
 */
@ApplicationScoped
public class PublisherLock {

    private static final Logger LOG = Logger.getLogger(PublisherLock.class);
    /** "CAOutbox" in ASCII; one lock per database, and every service has its own database. */
    private static final long KEY = 0x43414F7574626F78L;

    private final DataSource dataSource;
    private Connection connection;

    public PublisherLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True while this instance is the publisher; tries to become it when it is not. */
    public synchronized boolean held() {
        try {
            if (connection != null && connection.isValid(2)) {
                return true;
            }
            release();
            connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, KEY);
                try (ResultSet result = lock.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        LOG.debug("this instance now publishes the outbox");
                        return true;
                    }
                }
            }
            release();
            return false;
        } catch (SQLException e) {
            LOG.debugf("outbox publisher lock unavailable: %s", e.getMessage());
            release();
            return false;
        }
    }

    @PreDestroy
    synchronized void release() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the lock goes with the session either way
            }
            connection = null;
        }
    }
}
