package dev.catalogautopilot.testing.appregistry;

import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FixtureAppRegistry} in the foreground for the local stack and prints its base URL:
 * {@code FixtureAppRegistryMain [--port N] [--dir PACKAGES] [--namespace NS] [--form nested|flattened]
 * [--username U --password-file F]}. It stops when the process is stopped. Publish a release on the running server
 * with {@code POST http://127.0.0.1:PORT/admin/publish/<package>}.
 */
public final class FixtureAppRegistryMain {

    private FixtureAppRegistryMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        FixtureAppRegistry.Builder builder;
        try {
            builder = builder(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: FixtureAppRegistryMain [--port N] [--dir PACKAGES] [--namespace NS] "
                    + "[--form nested|flattened] [--username U --password-file F]");
            System.exit(2);
            return;
        }
        FixtureAppRegistry registry = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            stopped.countDown();
        }, "fixture-app-registry-stop"));
        System.out.println(registry.baseUrl());
        System.out.flush();
        System.err.println("publish a release: POST " + registry.adminUrl() + "/publish/<package>");
        stopped.await();
    }

    /** Turns the command-line flags into a builder; rejects unknown or incomplete flags. */
    static FixtureAppRegistry.Builder builder(List<String> args) {
        FixtureAppRegistry.Builder builder = FixtureAppRegistry.builder();
        String username = null;
        Path passwordFile = null;
        Path dir = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("Missing value for " + flag);
            }
            String value = args.get(++i);
            switch (flag) {
                case "--port" -> builder.port(parsePort(value));
                case "--dir" -> dir = Path.of(value);
                case "--namespace" -> builder.namespace(value);
                case "--form" -> builder.form(ArchiveForm.valueOf(value.toUpperCase(Locale.ROOT)));
                case "--username" -> username = value;
                case "--password-file" -> passwordFile = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown flag " + flag);
            }
        }
        if ((username == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("--username and --password-file go together");
        }
        if (username != null) {
            builder.requireAuth(username, readPassword(passwordFile));
        }
        return builder.packagesDir(dir != null ? dir : Fixtures.operators());
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, got " + value);
        }
    }

    private static String readPassword(Path file) {
        try {
            // Files written with echo end with a newline that is not part of the password.
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the password file " + file, e);
        }
    }
}
