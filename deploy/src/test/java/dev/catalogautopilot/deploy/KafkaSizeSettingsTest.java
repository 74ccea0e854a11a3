package dev.catalogautopilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventSizeLimit;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.kafka.KafkaBroker;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one record size limit ({@link EventSizeLimit}) is configured alike in the local broker, the topics the tests
 * and the local run create, and every service's producer and consumers; deploy/k8s is checked by
 * {@link KubernetesManifestsTest}.
 */
class KafkaSizeSettingsTest {

    private static final String LIMIT = Integer.toString(EventSizeLimit.MAX_RECORD_BYTES);
    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.([a-z-]+)\\.connector");

    @Test
    void theLocalBrokerAndThePipelineTopicsAcceptRecordsUpToTheLimit() {
        assertThat(KafkaBroker.MAX_RECORD_BYTES).isEqualTo(EventSizeLimit.MAX_RECORD_BYTES);
        assertThat(Topics.config()).containsEntry("max.message.bytes", LIMIT);
        assertThat(EventSizeLimit.MAX_RECORD_BYTES - EventSizeLimit.MAX_PAYLOAD_BYTES).isEqualTo(64 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"watcher-service", "builder-service", "mirror-service", "rollout-service"})
    void everyServiceSendsAndFetchesRecordsUpToTheLimit(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(
                Path.of("..", service, "src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        assertThat(properties.getProperty("mp.messaging.outgoing.outbox.max.request.size")).isEqualTo(LIMIT);
        Set<String> incoming = properties.stringPropertyNames().stream().map(INCOMING::matcher)
                .filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
        for (String channel : incoming) {
            String prefix = "mp.messaging.incoming." + channel + ".";
            assertThat(properties.getProperty(prefix + "max.partition.fetch.bytes")).as(channel).isEqualTo(LIMIT);
            assertThat(Long.parseLong(properties.getProperty(prefix + "fetch.max.bytes"))).as(channel)
                    .isGreaterThanOrEqualTo(EventSizeLimit.MAX_RECORD_BYTES);
            assertThat(properties.getProperty(prefix + "max.request.size")).as(channel + " dead-letter producer")
                    .isEqualTo(LIMIT);
        }
    }
}
