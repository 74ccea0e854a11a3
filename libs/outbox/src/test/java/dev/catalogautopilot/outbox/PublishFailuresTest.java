package dev.catalogautopilot.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class PublishFailuresTest {

    @Test
    void aRecordTooLargeIsRefusedForGoodEvenWhenWrapped() {
        var failure = new CompletionException(new RecordTooLargeException("The message is 2000000 bytes"));
        assertThat(PublishFailures.permanentReason(failure))
                .contains("RecordTooLargeException: The message is 2000000 bytes");
    }

    @Test
    void brokerOutagesTimeoutsAndAuthorizationAreRetried() {
        assertThat(PublishFailures.permanentReason(new TimeoutException("expired"))).isEmpty();
        assertThat(PublishFailures.permanentReason(new NotLeaderOrFollowerException("moved"))).isEmpty();
        assertThat(PublishFailures.permanentReason(new TopicAuthorizationException("no ACL"))).isEmpty();
        assertThat(PublishFailures.permanentReason(new io.smallrye.mutiny.TimeoutException())).isEmpty();
    }
}
