package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
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

    public JobListener(JobStore store, JobRunner runner, MirrorConfig config) {
        this.store = store;
        this.runner = runner;
        this.worker = config.worker().id();
    }

    @Incoming("jobs")
    @Blocking
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        IncomingEvents.decode(record).filter(event -> event.data() instanceof MirrorJobRequested).ifPresent(event -> {
            store.queue(event.as(MirrorJobRequested.class), worker);
            runner.wakeUp();
        });
    }
}
