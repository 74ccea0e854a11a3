package dev.catalogautopilot.outbox.consumer;

import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.outbox.Backoff;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The one retry boundary of every Kafka listener: each {@code @Incoming} method hands its work for a record to
 * {@link #reactive} or {@link #blocking}. A failure that is the record's fault ({@link ConsumerFailures}) propagates
 * and the channel's failure strategy dead-letters the record; it is counted per dead-letter topic. Any other failure
 * is retried in place, with backoff ({@code consumer-retry.initial-backoff} doubling up to
 * {@code consumer-retry.max-backoff}), until the work succeeds: the record is never dead-lettered for a database or
 * broker outage, and later records of the channel wait behind it, in order.
 *
 * <p>Waiting holds no thread and does not stop polling: the connector keeps polling with the partitions paused once
 * its queue is full, so {@code max.poll.interval.ms} is never exceeded. A record in flight past
 * {@code consumer-retry.stuck-after} turns {@link ConsumerHealthCheck} DOWN with the reason while retries go on. On
 * shutdown retries stop without acknowledging, so the record is consumed again after the restart.
 */
@ApplicationScoped
public class ConsumerRetry {

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);
    private static final Pattern INCOMING_TOPIC = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic");

    private final Backoff backoff;
    private final Duration stuckAfter;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Executor workers;
    private final Map<String, ConsumerChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    @Inject
    public ConsumerRetry(ConsumerRetryConfig config, MeterRegistry registry) {
        this(new Backoff(config.initialBackoff(), config.maxBackoff()), config.stuckAfter(), registry,
                Clock.systemUTC(), Infrastructure.getDefaultWorkerPool());
    }

    ConsumerRetry(Backoff backoff, Duration stuckAfter, MeterRegistry registry, Clock clock, Executor workers) {
        this.backoff = backoff;
        this.stuckAfter = stuckAfter;
        this.registry = registry;
        this.clock = clock;
        this.workers = workers;
    }

    /** Registers every consumed topic of this service, so its metrics and status exist before its first record. */
    void onStart(@Observes StartupEvent start) {
        Config config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            Matcher m = INCOMING_TOPIC.matcher(name);
            if (m.matches()) {
                String topic = config.getValue(name, String.class);
                String dlq = config.getOptionalValue("mp.messaging.incoming." + m.group(1) + ".dead-letter-queue.topic",
                        String.class).orElse(null);
                channel(topic, dlq);
            }
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    /**
     * Runs reactive {@code work} for {@code record} on the caller's Vert.x context, retrying it on a fresh duplicate
     * of that context after infrastructure failures.
     */
    public Uni<Void> reactive(ConsumerRecord<?, ?> record, Supplier<Uni<?>> work) {
        Context context = Vertx.currentContext();
        return run(record, first -> first || context == null ? Uni.createFrom().deferred(work)
                : onFreshContext(context, work));
    }

    /** Runs blocking {@code work} for {@code record} on a worker thread, retrying it after infrastructure failures. */
    public Uni<Void> blocking(ConsumerRecord<?, ?> record, Runnable work) {
        return run(record, first -> Uni.createFrom().item(() -> {
            work.run();
            return Boolean.TRUE;
        }).runSubscriptionOn(workers));
    }

    /** Every consumed topic's state, by topic name. */
    public List<ConsumerStatus> status() {
        var now = clock.instant();
        return channels.values().stream().map(c -> c.status(now, stuckAfter))
                .sorted(Comparator.comparing(ConsumerStatus::topic)).toList();
    }

    private interface Attempt {
        Uni<?> start(boolean first);
    }

    private Uni<Void> run(ConsumerRecord<?, ?> record, Attempt attempt) {
        ConsumerChannel channel = channel(record.topic(), null);
        String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
        int[] attempts = {0};
        return Uni.createFrom().deferred(() -> {
                    if (attempts[0]++ == 0) {
                        channel.started(coordinates, clock.instant());
                    }
                    return attempt.start(attempts[0] == 1);
                })
                .onFailure(ConsumerFailures::retriable).retry()
                .when(failures -> failures.onItem().transformToUniAndConcatenate(f -> pause(channel, coordinates, f)))
                .onItemOrFailure().transformToUni((item, failure) -> {
                    if (failure == null) {
                        if (attempts[0] > 1) {
                            LOG.infof("%s processed after %d attempts", coordinates, attempts[0]);
                        }
                        channel.finished();
                        return Uni.createFrom().voidItem();
                    }
                    channel.deadLettered(failure, clock.instant());
                    LOG.warnf("%s is not a valid record and goes to %s: %s", coordinates, channel.deadLetterTopic(),
                            failure.toString());
                    return Uni.createFrom().failure(failure);
                });
    }

    /** Waits before the next attempt; never completes once the service is stopping, so the record is not acked. */
    private Uni<Integer> pause(ConsumerChannel channel, String coordinates, Throwable failure) {
        if (stopping) {
            return Uni.createFrom().nothing();
        }
        int failed = channel.failed(failure);
        Duration wait = backoff.delay(failed);
        if (Integer.bitCount(failed) == 1) { // the 1st, 2nd, 4th, 8th... attempt: a trail without a flood
            LOG.warnf("%s failed (attempt %d), retrying in %s; the record is kept: %s", coordinates, failed, wait,
                    failure.toString());
        }
        return Uni.createFrom().item(failed).onItem().delayIt().by(wait)
                .onItem().transformToUni(n -> stopping ? Uni.createFrom().<Integer>nothing()
                        : Uni.createFrom().item(n));
    }

    private static Uni<?> onFreshContext(Context context, Supplier<Uni<?>> work) {
        Context fresh = VertxContext.createNewDuplicatedContext(context);
        VertxContextSafetyToggle.setContextSafe(fresh, true); // Hibernate Reactive insists on an isolated context
        return Uni.createFrom().emitter(emitter -> fresh.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(emitter::complete, emitter::fail);
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
    }

    private ConsumerChannel channel(String topic, String deadLetterTopic) {
        return channels.computeIfAbsent(topic, t -> {
            String dlq = deadLetterTopic != null ? deadLetterTopic
                    : t.endsWith(Topics.DEAD_LETTER_SUFFIX) ? t : Topics.deadLetter(t);
            ConsumerChannel channel = new ConsumerChannel(t, dlq);
            FunctionCounter.builder("consumer.dead.lettered", channel, ConsumerChannel::deadLetteredCount)
                    .description("Records a consumer sent to the dead-letter topic since start (invalid records)")
                    .tags("topic", t, "dlq", dlq).register(registry);
            FunctionCounter.builder("consumer.retries", channel, ConsumerChannel::retries)
                    .description("Retries after infrastructure failures since start").tag("topic", t)
                    .register(registry);
            Gauge.builder("consumer.in.flight.age", channel, c -> c.inFlightSeconds(clock.instant()))
                    .description("How long the record in flight has been processed, retries included")
                    .baseUnit("seconds").tag("topic", t).register(registry);
            Gauge.builder("consumer.stuck", channel, c -> c.status(clock.instant(), stuckAfter).stuck() ? 1 : 0)
                    .description("1 when the record in flight has been so for consumer-retry.stuck-after or longer")
                    .tag("topic", t).register(registry);
            return channel;
        });
    }
}
