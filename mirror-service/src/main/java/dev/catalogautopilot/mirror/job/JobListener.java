package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes {@code mirror.job.requested.v1} from {@code mirror.jobs} (instances share one consumer group, so the
 * partitions, keyed by source repository, are divided between them) and queues each job durably; the record is
 * acknowledged at once and {@link JobRunner} does the copy, so polling never waits for a copy.
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
     * Runs on a worker thread; infrastructure failures are retried in place, and only an undecodable or invalid
     * record is dead-lettered.
     */
    @Incoming("jobs")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return retry.blocking(record, () -> handle(record));
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        IncomingEvents.decode(record).filter(event -> event.data() instanceof MirrorJobRequested).ifPresent(event -> {
            store.queue(event.as(MirrorJobRequested.class), worker);
            runner.wakeUp();
        });
    }
}
