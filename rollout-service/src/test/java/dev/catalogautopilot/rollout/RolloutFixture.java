package dev.catalogautopilot.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.events.rollout.RolloutEvent;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.content.EventContent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the rollout-service integration tests share: catalog images in a mirror registry, catalog-mirrored events
 * published the way the mirror-service publishes them, the service's REST API, and its rollout events.
 */
final class RolloutFixture implements AutoCloseable {

    /** The consumer group the service reads catalog.mirrored with. */
    static final String GROUP = "rollout-service";
    static final ObjectMapper JSON = EventJson.newMapper();

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    private final HttpClient http = HttpClient.newHttpClient();
    final EventStream events = EventStream.onSharedBroker(Topics.ROLLOUT_EVENTS);
    final LocalRegistry mirror = LocalRegistry.start();

    /**
     * Settings that make the service quick to test: short ticks, lease and timeouts, and a consumer that a killed
     * instance does not hold for long.
     */
    /**
     * {@link #fastServiceProperties()}, plus reading content from this fixture's mirror registry, the destination
     * every catalog image lies under.
     */
    Map<String, String> serviceProperties() {
        Map<String, String> properties = new java.util.LinkedHashMap<>(fastServiceProperties());
        properties.put("rollout.registry.insecure", mirror.host());
        properties.put("rollout.mirror-destination", mirror.host() + "/olm");
        return properties;
    }

    /** Lists {@code catalogs} as ones the service rolls out, each with the default CatalogSource settings. */
    static Map<String, String> catalogs(String... catalogs) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        for (String catalog : catalogs) {
            properties.put("rollout.catalogs." + catalog + ".display-name", catalog);
        }
        return properties;
    }

    static Map<String, String> fastServiceProperties() {
        return Map.of(
                "kafka.bootstrap.servers", SharedKafka.bootstrapServers(),
                "rollout.tick", "1s",
                "rollout.lease", "3s",
                "rollout.verification.poll-interval", "100ms",
                "rollout.kubernetes.request-timeout", "1s",
                "rollout.kubernetes.connect-timeout", "1s",
                "rollout.kubernetes.retries", "0",
                "mp.messaging.incoming.catalog-mirrored.session.timeout.ms", "6000",
                "mp.messaging.incoming.catalog-mirrored.heartbeat.interval.ms", "2000");
    }

    /** Two waves: {@code canary} (clusters labelled ring=canary) then {@code main} (ring=main), two at a time. */
    static Map<String, String> canaryThenMainWaves() {
        return Map.of(
                "rollout.waves[0].name", "canary",
                "rollout.waves[0].selector", "ring=canary",
                "rollout.waves[1].name", "main",
                "rollout.waves[1].selector", "ring=main",
                "rollout.waves[1].max-parallel", "2");
    }

    /** An embedded user of the service's HTTP Basic authentication with its roles (comma-separated). */
    static Map<String, String> user(String name, String password, String roles) {
        return Map.of("quarkus.security.users.embedded.users." + name, password,
                "quarkus.security.users.embedded.roles." + name, roles);
    }

    /** Pushes a distinct image and returns it by digest, as a CatalogSource would reference it. */
    String pushCatalogImage(String repository, String tag) {
        ImageReference target = mirror.image(repository + ":" + tag);
        return ImagePusher.loopback().push(target, UpstreamSimulator.syntheticImage(target).get(0)).pinned()
                .withoutTag().toString();
    }

    /** A catalog-mirrored event for {@code image}, with an ICSP and an IDMS mapping the catalog's operators. */
    EventEnvelope<CatalogMirrored> mirrored(String catalog, String image) {
        return mirrored(catalog, image, Instant.now());
    }

    /** A catalog-mirrored event of a build published at {@code builtAt}. */
    EventEnvelope<CatalogMirrored> mirrored(String catalog, String image, Instant builtAt) {
        String source = "quay.io/" + catalog + "/operator";
        String target = mirror.host() + "/" + catalog + "/operator";
        String icsp = """
                apiVersion: operator.openshift.io/v1alpha1
                kind: ImageContentSourcePolicy
                metadata:
                  name: %1$s
                  labels:
                    operators.openshift.org/catalog: "true"
                spec:
                  repositoryDigestMirrors:
                  - source: %2$s
                    mirrors:
                    - %3$s
                """.formatted(catalog, source, target);
        String idms = """
                apiVersion: config.openshift.io/v1
                kind: ImageDigestMirrorSet
                metadata:
                  name: %1$s
                spec:
                  imageDigestMirrors:
                  - source: %2$s
                    mirrors:
                    - %3$s
                """.formatted(catalog, source, target);
        ImageReference anchor = ImageReference.parse(image);
        CatalogMirrored data = new CatalogMirrored(catalog, "plan-" + Instant.now().toEpochMilli(), image,
                image.replace("@", ":built@"),
                EventContent.publishText(anchor, ContentTypes.IMAGE_CONTENT_SOURCE_POLICY, icsp, 1),
                EventContent.publishText(anchor, ContentTypes.IMAGE_DIGEST_MIRROR_SET, idms, 1),
                EventContent.publishText(anchor, ContentTypes.MAPPING,
                        source + "@sha256:" + "0".repeat(64) + "=" + target + ":" + "0".repeat(64) + "\n", 1),
                MirrorStats.ZERO, 1, 0, builtAt);
        return EventEnvelope.first(EventSources.MIRROR, catalog, data, Clock.systemUTC());
    }

    RecordMetadata publish(EventEnvelope<?> envelope) {
        return publish(KafkaCloudEvents.toProducerRecord(envelope));
    }

    /** Publishes a record as it is, e.g. a copy of an event with its original headers. */
    RecordMetadata publish(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("publishing to " + record.topic() + " failed", e);
        }
    }

    /** Waits until the service's consumer group has committed past {@code record}: it has processed it. */
    void awaitConsumed(RecordMetadata record, Duration timeout) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null && offset.offset() > record.offset()) {
                    return;
                }
                sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the service did not consume " + record + " within " + timeout);
    }

    /** Rollout events of one rollout, of one type. */
    <T extends RolloutEvent> List<T> eventsOf(String rolloutId, Class<T> type) {
        return events.matching(e -> type.isInstance(e.envelope().data())
                && rolloutId.equals(((RolloutEvent) e.envelope().data()).rolloutId()))
                .stream().map(e -> type.cast(e.envelope().data())).toList();
    }

    <T extends RolloutEvent> List<ReceivedEvent> await(String catalog, Class<T> type, Predicate<T> condition,
            int count, Duration timeout) {
        return events.await(e -> catalog.equals(e.envelope().subject()) && type.isInstance(e.envelope().data())
                && condition.test(type.cast(e.envelope().data())), count, timeout);
    }

    JsonNode get(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return read(response.body());
    }

    HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A POST with HTTP Basic credentials. */
    HttpResponse<String> post(String url, String json, String user, String password) {
        String credentials = java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        events.close();
        mirror.close();
    }
}
