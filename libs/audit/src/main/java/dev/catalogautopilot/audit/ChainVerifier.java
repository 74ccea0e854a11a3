package dev.catalogautopilot.audit;

import dev.catalogautopilot.events.EventChain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the hash chains of the audit log (see {@link EventChain}). Every event's hash is recomputed from its data
 * and its predecessor's hash; an event whose recomputed hash differs was altered, and an event whose predecessor is
 * missing marks a gap. Records re-published under the same id are one event.
 */
public final class ChainVerifier {

    /** One finding, naming the event where the chain breaks. */
    public record Problem(Kind kind, String eventId, String position, String detail) {
    }

    public enum Kind {
        ALTERED, GAP, UNCHAINED, DUPLICATE_ID_DIFFERENT_CONTENT
    }

    /** The verdict over a set of records. */
    public record Result(int events, int chains, List<Problem> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }

        /** The earliest broken event, by event time. */
        public Optional<Problem> firstProblem() {
            return problems.stream().findFirst();
        }
    }

    private ChainVerifier() {
    }

    public static Result verify(List<AuditEvent> records) {
        Map<String, AuditEvent> byId = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        records.stream().sorted(Comparator.comparing((AuditEvent e) -> e.envelope().time())
                .thenComparing(AuditEvent::topic).thenComparingLong(AuditEvent::offset)).forEach(e -> {
            AuditEvent earlier = byId.putIfAbsent(e.envelope().id(), e);
            if (earlier != null && !java.util.Arrays.equals(earlier.value(), e.value())) {
                problems.add(new Problem(Kind.DUPLICATE_ID_DIFFERENT_CONTENT, e.envelope().id(), e.position(),
                        "same id as " + earlier.position() + " but different data"));
            }
        });
        int chains = 0;
        for (AuditEvent event : byId.values()) {
            String claimed = event.header("ce_" + EventChain.HASH);
            if (claimed == null) {
                problems.add(new Problem(Kind.UNCHAINED, event.envelope().id(), event.position(), "no chain hash"));
                continue;
            }
            String previousId = event.header("ce_" + EventChain.PREVIOUS);
            String previousHash = null;
            if (previousId == null) {
                chains++;
            } else {
                AuditEvent previous = byId.get(previousId);
                if (previous == null) {
                    problems.add(new Problem(Kind.GAP, event.envelope().id(), event.position(),
                            "its predecessor " + previousId + " is missing from the log"));
                    continue;
                }
                previousHash = previous.header("ce_" + EventChain.HASH);
            }
            var e = event.envelope();
            String actual = EventChain.hash(previousHash, e.id(), e.type(), e.source(), e.subject(), e.time(),
                    e.correlationId(), e.causationId(), event.value());
            if (!actual.equals(claimed)) {
                problems.add(new Problem(Kind.ALTERED, e.id(), event.position(),
                        e.type() + " about " + e.subject() + " at " + e.time() + " does not match its chain hash"));
            }
        }
        return new Result(byId.size(), chains, List.copyOf(problems));
    }
}
