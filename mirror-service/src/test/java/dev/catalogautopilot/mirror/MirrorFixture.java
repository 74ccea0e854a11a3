package dev.catalogautopilot.mirror;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogCounts;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.content.EventContent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the mirror-service ITs share: publishing build events, and configured service processes. */
final class MirrorFixture {

    private MirrorFixture() {
    }

    /** Publishes a {@code catalog.built.v1} as the builder would, its referenced images beside the image. */
    static EventEnvelope<CatalogBuilt> publishBuild(String catalog, ImageReference catalogImage,
                                                    Collection<String> referenced) throws Exception {
        return publishBuild(catalog, catalogImage, EventContent.publishReferencedImages(catalogImage, referenced));
    }

    /** Publishes a {@code catalog.built.v1} naming {@code referenced} as its referenced images, and returns it. */
    static EventEnvelope<CatalogBuilt> publishBuild(String catalog, ImageReference catalogImage,
                                                    ContentRef referenced) throws Exception {
        return publishBuild(SharedKafka.bootstrapServers(), catalog, catalogImage, referenced);
    }

    /** As {@link #publishBuild(String, ImageReference, ContentRef)}, to the broker at {@code bootstrapServers}. */
    static EventEnvelope<CatalogBuilt> publishBuild(String bootstrapServers, String catalog,
                                                    ImageReference catalogImage, ContentRef referenced)
            throws Exception {
        CatalogBuilt built = new CatalogBuilt(catalog, "rev-" + catalog, catalogImage.toString(), List.of(),
                new CatalogCounts(0, 0, 0), List.of(), referenced, null);
        EventEnvelope<CatalogBuilt> envelope = EventEnvelope.first(EventSources.BUILDER, catalog, built,
                Clock.systemUTC());
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(KafkaCloudEvents.toProducerRecord(envelope)).get();
        }
        return envelope;
    }

    /** A mirror-service process mirroring to {@code destination}, speaking plain HTTP to {@code insecure}. */
    static ServiceProcess.Builder service(String worker, TestDatabase db, String destination, List<String> insecure,
                                          Path manifests, int jobs) {
        return ServiceProcess.builder("mirror-" + worker)
                .properties(db.quarkusConfig())
                .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                .property("mirror.destination", destination)
                .property("mirror.registry.insecure", String.join(",", insecure))
                .property("mirror.registry.backoff", "20ms")
                .property("mirror.registry.retries", "6")
                .property("mirror.manifests-dir", manifests.toString())
                .property("mirror.worker.id", worker)
                .property("mirror.worker.jobs", Integer.toString(jobs))
                .property("mirror.worker.retry-backoff", "200ms")
                .property("mp.messaging.incoming.builds.metadata.max.age.ms", "1000")
                .property("mp.messaging.incoming.jobs.metadata.max.age.ms", "1000");
    }
}
