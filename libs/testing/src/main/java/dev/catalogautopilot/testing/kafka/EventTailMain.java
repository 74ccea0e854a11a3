package dev.catalogautopilot.testing.kafka;

import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.catalog.PackageChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints the events on topics as a person wants to read them, for the local run:
 * {@code EventTailMain <bootstrap> <count> <timeoutSeconds> <topic>...} exits once {@code count} events were
 * printed (0: never), or fails after the timeout.
 */
public final class EventTailMain {

    private EventTailMain() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: EventTailMain <bootstrap> <count> <timeoutSeconds> <topic>...");
            System.exit(2);
        }
        int count = Integer.parseInt(args[1]);
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[2]));
        String[] topics = java.util.Arrays.copyOfRange(args, 3, args.length);
        try (EventStream stream = EventStream.open(args[0], topics)) {
            int printed = 0;
            while (count == 0 || printed < count) {
                List<ReceivedEvent> all = stream.all();
                for (ReceivedEvent event : all.subList(printed, all.size())) {
                    System.out.println(describe(event));
                }
                printed = all.size();
                if (Instant.now().isAfter(deadline)) {
                    System.err.println("timed out after " + printed + " of " + count + " events");
                    System.exit(1);
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    static String describe(ReceivedEvent event) {
        String head = event.envelope().time() + "  " + event.envelope().subject() + "  ";
        Object data = event.envelope().data();
        if (data instanceof CatalogChanged c) {
            String detail = c.indexImage() != null
                    ? "index " + c.indexImage().reference() + " " + c.indexImage().previousDigest() + " -> " + c.indexImage().digest()
                    : c.added().size() + " added, " + c.updated().size() + " updated " + names(c.updated())
                            + ", " + c.removed().size() + " removed " + names(c.removed());
            return head + "CHANGED (" + c.trigger() + ") " + detail + "  revision " + c.revision()
                    + "  correlation " + event.envelope().correlationId();
        }
        if (data instanceof CatalogWatchFailed f) {
            return head + "WATCH FAILED: " + f.error();
        }
        return head + event.type();
    }

    private static String names(List<PackageChange> changes) {
        return changes.stream().map(p -> p.name() + "@" + p.release()).collect(Collectors.joining(", ", "[", "]"));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
