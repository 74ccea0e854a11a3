package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes {@code mirror.job.requested.v1} from {@code mirror.jobs} (instances share one consumer group, so the
 * partitions, keyed by source repository, are divided between them) and queues each poll's jobs durably in one
 * transaction; the records are acknowledged at once and {@link JobRunner} does the copies, so polling never waits
 * for a copy. A record that cannot be decoded is nacked on its own, to the dead-letter topic, without holding
 * back the rest of its batch.
 */
@ApplicationScoped
public class JobListener {

    private final JobStore store;
    private final JobRunner runner;
    private final String worker;

    public JobListener(JobStore store, JobRunner runner, MirrorConfig config) {
        this.store = store;
        this.runner = runner;
        this.worker = config.worker().id();
    }

    @Incoming("jobs")
    @Blocking
    public CompletionStage<Void> onBatch(KafkaRecordBatch<String, byte[]> batch) {
        List<EventEnvelope<MirrorJobRequested>> requests = new ArrayList<>();
        List<CompletionStage<Void>> acknowledgements = new ArrayList<>();
        List<KafkaRecord<String, byte[]>> accepted = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            Optional<EventEnvelope<?>> event;
            try {
                event = IncomingEvents.decode(consumerRecord(record));
            } catch (RuntimeException undecodable) {
                acknowledgements.add(record.nack(undecodable));
                continue;
            }
            event.filter(e -> e.data() instanceof MirrorJobRequested)
                    .ifPresent(e -> requests.add(e.as(MirrorJobRequested.class)));
            accepted.add(record);
        }
        store.queue(requests, worker);
        accepted.forEach(record -> acknowledgements.add(record.ack()));
        runner.wakeUp();
        return CompletableFuture.allOf(acknowledgements.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, byte[]> consumerRecord(KafkaRecord<String, byte[]> record) {
        return (ConsumerRecord<String, byte[]>) record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("a Kafka record without its metadata"))
                .getRecord();
    }
}
