package dev.catalogautopilot.mirror.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Records job outcomes in batches on one thread of its own: whatever finished while the previous batch was being
 * written goes into the next transaction, so 30,000 tiny images cost hundreds of transactions, not 30,000. A batch
 * that cannot be written (the database is away) is kept and written again with backoff; its jobs keep their
 * leases meanwhile, and a lease that runs out hands the job to another attempt, which records it instead.
 */
final class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final JobStore store;
    private final String worker;
    private final int batchSize;
    private final Consumer<List<JobOutcome>> afterRecording;
    private final LinkedBlockingQueue<JobOutcome> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    OutcomeRecorder(JobStore store, String worker, int batchSize, Consumer<List<JobOutcome>> afterRecording) {
        this.store = store;
        this.worker = worker;
        this.batchSize = batchSize;
        this.afterRecording = afterRecording;
        this.thread = new Thread(this::loop, "mirror-outcomes");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopping = true;
        thread.interrupt();
    }

    void record(JobOutcome outcome) {
        queue.add(outcome);
    }

    private void loop() {
        List<JobOutcome> batch = new ArrayList<>();
        Duration backoff = FIRST_BACKOFF;
        while (!stopping) {
            try {
                if (batch.isEmpty()) {
                    JobOutcome first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                }
                queue.drainTo(batch, batchSize - batch.size());
                store.finish(batch, worker).forEach(completion -> LOG.infof("catalog %s: %s (%s)",
                        completion.subject(), completion.type(), completion.id()));
                afterRecording.accept(batch);
                batch = new ArrayList<>();
                backoff = FIRST_BACKOFF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("recording %d job outcomes failed, retrying in %s: %s", batch.size(), backoff,
                        e.getMessage());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
