package dev.catalogautopilot.outbox.consumer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /consumers}: every consumed topic of the service, with the record in flight and its retries, and what
 * went to its dead-letter topic (count and last reason). {@code deploy/audit.sh dlq list} shows the dead-lettered
 * records themselves.
 */
@Path("/consumers")
@Produces(MediaType.APPLICATION_JSON)
public class ConsumerResource {

    private final ConsumerRetry retry;

    public ConsumerResource(ConsumerRetry retry) {
        this.retry = retry;
    }

    @GET
    public List<ConsumerStatus> status() {
        return retry.status();
    }
}
