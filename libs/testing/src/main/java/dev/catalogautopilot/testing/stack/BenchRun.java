package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Where one pipeline run of the scale benchmark got to: the time of each stage's event (the events' own
 * timestamps), in pipeline order, null until it happens; and why it failed, if it did. The run is the first change
 * seen after it starts following (a manual trigger's too), and every event with that change's correlation id.
 */
final class BenchRun {

    final String name;
    private final Consumer<String> say;
    String correlation;
    Instant detected;
    Instant built;
    Instant planned;
    Instant mirrored;
    Instant canaryReady;
    Instant completed;
    int jobs;
    int reused;
    String failure;
    /** The run's build event, once seen. */
    CatalogBuilt build;

    BenchRun(String name, Consumer<String> say) {
        this.name = name;
        this.say = say;
    }

    /** The stage under way: the first whose end has not been seen. */
    String stage() {
        if (detected == null) {
            return "detect (watcher)";
        } else if (built == null) {
            return "detect -> built (builder)";
        } else if (planned == null) {
            return "built -> plan announced (mirror planner)";
        } else if (mirrored == null) {
            return "plan -> mirrored (mirror workers and tracker)";
        } else if (canaryReady == null) {
            return "mirrored -> canary READY (rollout)";
        }
        return "canary -> rollout completed (rollout)";
    }

    /** The service whose log explains a failure in the current stage. */
    String service() {
        if (detected == null) {
            return "watcher-service";
        } else if (built == null) {
            return "builder-service";
        } else if (mirrored == null) {
            return "mirror-service";
        }
        return "rollout-service";
    }

    boolean ended() {
        return failure != null || completed != null;
    }

    /** Takes in one event from any topic. */
    void record(ReceivedEvent event) {
        if (event.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            failure = "a record went to " + event.topic() + ": " + event.type() + " ("
                    + event.headers().getOrDefault("dead-letter-reason", "no reason given") + ")";
            return;
        }
        EventData data = event.envelope().data();
        String eventCorrelation = event.envelope().correlationId();
        if (data instanceof CatalogChanged && correlation == null) {
            correlation = eventCorrelation;
            detected = event.envelope().time();
            say.accept("[" + name + "] change detected");
            return;
        }
        if (correlation == null || !correlation.equals(eventCorrelation)) {
            return;
        }
        Instant time = event.envelope().time();
        if (data instanceof CatalogBuilt catalogBuilt) {
            build = catalogBuilt;
            built = time;
            say.accept(String.format("[%s] built after %.1f s", name, seconds(detected, time)));
        } else if (data instanceof MirrorJobRequested requested && requested.attempt() == 1) {
            jobs++;
            planned = planned == null || time.isAfter(planned) ? time : planned;
        } else if (data instanceof CatalogMirrored catalogMirrored) {
            mirrored = time;
            reused = catalogMirrored.imagesReused();
            planned = planned == null ? time : planned;
            say.accept(String.format("[%s] mirrored after %.1f s (%d jobs, %d images reused)", name,
                    seconds(detected, time), jobs, reused));
        } else if (data instanceof ClusterUpdated updated && canaryReady == null
                && updated.cluster().startsWith("canary")) {
            canaryReady = time;
        } else if (data instanceof RolloutCompleted) {
            completed = time;
        } else if (data instanceof CatalogBuildFailed buildFailed) {
            failure = "build failed: " + buildFailed.reason();
        } else if (data instanceof CatalogMirrorFailed mirrorFailed) {
            failure = "mirror failed: " + mirrorFailed.reason();
        } else if (data instanceof RolloutHalted halted) {
            failure = "rollout halted in wave " + halted.wave() + ": " + halted.failingClusters();
        }
    }

    /** Seconds between two stage times, or null if either has not happened. */
    static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1e3;
    }
}
