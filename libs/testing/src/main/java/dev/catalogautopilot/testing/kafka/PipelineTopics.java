package dev.catalogautopilot.testing.kafka;

import dev.catalogautopilot.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates every pipeline topic and its dead-letter topic as production has them (partitions per
 * {@link Topics#recommendedPartitions}, audit-log retention, records up to
 * {@link dev.catalogautopilot.events.EventSizeLimit#MAX_RECORD_BYTES}), unless they exist. Auto-created topics would get the
 * broker's default partition count, and mirror workers could not divide the jobs.
 */
public final class PipelineTopics {

    private PipelineTopics() {
    }

    public static void create(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : Topics.allWithDeadLetters()) {
                topics.add(new NewTopic(topic, Topics.recommendedPartitions(topic), (short) 1).configs(Topics.config()));
            }
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create the pipeline topics", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
