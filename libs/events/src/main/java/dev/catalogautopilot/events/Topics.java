package dev.catalogautopilot.events;

import java.util.List;
import java.util.Map;

/**
 * Kafka topic names of the pipeline, their dead-letter topics and the configuration every one of them must have.
 *
 * <p>Every topic is an audit log and the source for replay: delete retention with no time or size limit, never
 * compaction (compaction keeps only the last record per key and would erase the history). {@link TopicKeys} says
 * what keys each topic.
 */
public final class Topics {

    /** Watcher to builder: {@code catalog.changed.v1} and {@code catalog.watch-failed.v1}; keyed by catalog. */
    public static final String CATALOG_CHANGES = "catalog.changes";

    /** Builder to mirror planner: {@code catalog.built.v1} and {@code catalog.build-failed.v1}; keyed by catalog. */
    public static final String CATALOG_BUILDS = "catalog.builds";

    /**
     * Mirror planner to mirror workers: one {@code mirror.job.requested.v1} per source image; keyed by source
     * repository (for example {@code quay.io/strimzi/operator}) so workers scale per image.
     */
    public static final String MIRROR_JOBS = "mirror.jobs";

    /**
     * Mirror workers to mirror tracker: per-job outcomes {@code mirror.job.completed.v1} and
     * {@code mirror.job.failed.v1}; keyed by catalog.
     */
    public static final String MIRROR_RESULTS = "mirror.results";

    /**
     * Mirror tracker to rollout: {@code catalog.mirrored.v1} and {@code catalog.mirror-failed.v1}; keyed by
     * catalog.
     */
    public static final String CATALOG_MIRRORED = "catalog.mirrored";

    /** Every rollout event (started, per wave, per cluster, completion, halt, operator actions); keyed by catalog. */
    public static final String ROLLOUT_EVENTS = "rollout.events";

    /** Suffix of the dead-letter topic of each topic: a record a consumer cannot process goes there, never away. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private static final List<String> MAIN = List.of(
            CATALOG_CHANGES, CATALOG_BUILDS, MIRROR_JOBS, MIRROR_RESULTS, CATALOG_MIRRORED, ROLLOUT_EVENTS);

    private Topics() {
    }

    /** The pipeline topics, in flow order, without dead-letter topics. */
    public static List<String> all() {
        return MAIN;
    }

    /** The pipeline topics followed by their dead-letter topics: everything that must exist before services start. */
    public static List<String> allWithDeadLetters() {
        return java.util.stream.Stream.concat(MAIN.stream(), MAIN.stream().map(Topics::deadLetter)).toList();
    }

    /** The dead-letter topic of {@code topic}, for example {@code mirror.jobs.dlq}. */
    public static String deadLetter(String topic) {
        if (topic.endsWith(DEAD_LETTER_SUFFIX)) {
            throw new IllegalArgumentException("already a dead-letter topic: " + topic);
        }
        return topic + DEAD_LETTER_SUFFIX;
    }

    /**
     * Topic-level configuration for every topic, dead-letter topics included: delete retention, kept forever, and
     * records up to {@link EventSizeLimit#MAX_RECORD_BYTES}. {@code min.insync.replicas} is left to the cluster (1 on
     * a single local broker, 2 with three brokers).
     */
    public static Map<String, String> config() {
        return Map.of(
                "cleanup.policy", "delete",
                "retention.ms", "-1",
                "retention.bytes", "-1",
                "max.message.bytes", Integer.toString(EventSizeLimit.MAX_RECORD_BYTES));
    }

    /**
     * Recommended partition count at creation time. Keyed topics keep per-key order only while the partition count
     * is unchanged, so choose it once: few partitions for the per-catalog topics (there are few catalogs), more for
     * {@link #MIRROR_JOBS} whose partitions bound how many workers take jobs in parallel.
     */
    public static int recommendedPartitions(String topic) {
        if (topic.endsWith(DEAD_LETTER_SUFFIX)) {
            return 1;
        }
        return MIRROR_JOBS.equals(topic) ? 12 : 3;
    }
}
