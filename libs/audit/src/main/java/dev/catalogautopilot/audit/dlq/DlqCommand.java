package dev.catalogautopilot.audit.dlq;

import dev.catalogautopilot.audit.AuditCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code audit dlq}: lists the records of a dead-letter topic with the reason each was refused, and re-drives them
 * to the topic they came from once the cause is fixed.
 */
@Command(name = "dlq", description = "Lists or re-drives the records of a dead-letter topic.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.RedriveCommand.class})
public final class DlqCommand {

    @ParentCommand
    AuditCommand audit;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "list", description = "Every record in a dead-letter topic: event id, type, where it came "
            + "from and why it was refused.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Option(names = "--topic", required = true, description = "A dead-letter topic, e.g. mirror.jobs.dlq")
        String topic;

        @Override
        public Integer call() {
            PrintWriter out = dlq.spec.commandLine().getOut();
            List<DeadLetter> letters = new DeadLetterTopic(dlq.audit.bootstrapServers(), topic).read();
            for (DeadLetter l : letters) {
                out.printf("%s-%d@%d  id=%s  type=%s  from=%s  key=%s%n    reason: %s%n", topic,
                        l.record().partition(), l.record().offset(), l.eventId().orElse("-"),
                        l.eventType().orElse("-"), l.originalPosition(), l.record().key(), l.reason());
            }
            out.printf("%d dead-lettered records in %s%n", letters.size(), topic);
            return 0;
        }
    }

    @Command(name = "redrive", description = "Publishes dead-lettered records again to their original topic, with "
            + "their key, value and CloudEvents headers; consumers skip ids they have processed.")
    static final class RedriveCommand implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Option(names = "--topic", required = true, description = "A dead-letter topic, e.g. mirror.jobs.dlq")
        String topic;

        @Option(names = "--event", description = "Only the record(s) with this CloudEvents id (default: all)")
        String event;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = dlq.spec.commandLine().getOut();
            PrintWriter err = dlq.spec.commandLine().getErr();
            DeadLetterTopic dead = new DeadLetterTopic(dlq.audit.bootstrapServers(), topic);
            List<DeadLetter> letters = dead.read().stream()
                    .filter(l -> event == null || l.eventId().filter(event::equals).isPresent()).toList();
            if (letters.isEmpty()) {
                err.println(event == null ? "no records in " + topic : "no record with event id " + event + " in "
                        + topic);
                return 1;
            }
            List<RecordMetadata> written = dead.redrive(letters);
            for (int i = 0; i < letters.size(); i++) {
                RecordMetadata m = written.get(i);
                out.printf("re-drove %s-%d@%d (id=%s) to %s-%d@%d%n", topic, letters.get(i).record().partition(),
                        letters.get(i).record().offset(), letters.get(i).eventId().orElse("-"), m.topic(),
                        m.partition(), m.offset());
            }
            out.printf("%d records re-driven from %s%n", written.size(), topic);
            return 0;
        }
    }
}
