package dev.catalogautopilot.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a broker in the foreground for the local stack: {@code KafkaBrokerMain <dataDir> <port>}.
 * It prints the bootstrap servers once the broker listens, and stops the broker when it is stopped.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <dataDir> <port>");
            System.exit(2);
        }
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]), false);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println("kafka ready " + broker.bootstrapServers());
        stopped.await();
    }
}
