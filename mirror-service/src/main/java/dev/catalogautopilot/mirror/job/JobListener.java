package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    @Inject
    ConsumerRetry retry;

    public JobListener(JobStore store, JobRunner runner, MirrorConfig config) {
        this.store = store;
        this.runner = runner;
        this.worker = config.worker().id();
    }

    /**
     * Decodes a poll's records, then queues their jobs on a worker thread; infrastructure failures are retried in
     * place, and only an undecodable or invalid record is dead-lettered.
     */
    @Incoming("jobs")
    public Uni<Void> onBatch(KafkaRecordBatch<String, byte[]> batch) {
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
        Uni<Void> queued = accepted.isEmpty() ? Uni.createFrom().voidItem()
                : retry.blocking(consumerRecord(accepted.get(0)), () -> {
                    store.queue(requests, worker);
                    runner.wakeUp();
                }).onItemOrFailure().transformToUni((ok, invalid) -> {
                    accepted.forEach(record -> acknowledgements.add(invalid == null ? record.ack()
                            : record.nack(invalid)));
                    return Uni.createFrom().voidItem();
                });
        return queued.chain(() -> Uni.createFrom().completionStage(CompletableFuture.allOf(acknowledgements.stream()
                .map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))).replaceWithVoid());
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, byte[]> consumerRecord(KafkaRecord<String, byte[]> record) {
        return (ConsumerRecord<String, byte[]>) record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("a Kafka record without its metadata"))
                .getRecord();
    }
}
