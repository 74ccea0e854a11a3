package dev.catalogautopilot.outbox.it;

import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.proxy.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The test service's infrastructure: a fresh database reached through a {@link TcpProxy} (reactive client; Flyway
 * and the publisher lock go direct), the shared broker, and its own topics, one of them with a small
 * {@code max.message.bytes} so a moderately sized event is refused by the real broker.
 */
public final class OutboxTestStack implements QuarkusTestResourceLifecycleManager {

    /** A topic whose records may not exceed 64 KiB. */
    static final int SMALL_LIMIT = 64 * 1024;

    static TestDatabase database;
    static TcpProxy databaseProxy;
    static String bootstrap;
    static String probeTopic;
    static String smallTopic;

    @Override
    public Map<String, String> start() {
        String sfx = Long.toString(System.nanoTime() % 1_000_000);
        database = TestDatabase.create("outbox");
        databaseProxy = TcpProxy.start(database.host(), database.port());
        bootstrap = SharedKafka.bootstrapServers();
        probeTopic = "outbox-it.probe." + sfx;
        smallTopic = "outbox-it.small." + sfx;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(probeTopic, 1, (short) 1),
                    new NewTopic(probeTopic + ".dlq", 1, (short) 1),
                    new NewTopic(smallTopic, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", Integer.toString(SMALL_LIMIT))))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not create the test topics", e);
        }
        Map<String, String> config = new HashMap<>(database.quarkusConfig());
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + databaseProxy.port() + "/"
                + database.name());
        config.put("kafka.bootstrap.servers", bootstrap);
        config.put("mp.messaging.incoming.probe.topic", probeTopic);
        config.put("mp.messaging.incoming.probe.dead-letter-queue.topic", probeTopic + ".dlq");
        return config;
    }

    @Override
    public void stop() {
        if (databaseProxy != null) {
            databaseProxy.close();
        }
        if (database != null) {
            database.drop();
        }
    }
}
