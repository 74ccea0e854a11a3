package dev.catalogautopilot.testing.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JVM process's memory high-water marks: its peak resident set as the kernel counts it ({@code VmHWM} in
 * {@code /proc/<pid>/status}), and its peak heap as its unified GC log ({@code -Xlog:gc:file=…}) shows it, the
 * largest heap occupancy any collection started from.
 */
public final class ProcessMemory {

    /** {@code GC(3) Pause Young (Allocation Failure) 70M->12M(247M) 5.123ms}: before, after, capacity. */
    private static final Pattern COLLECTION = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern HWM = Pattern.compile("^VmHWM:\\s+(\\d+) kB", Pattern.MULTILINE);

    private ProcessMemory() {
    }

    /** The peak resident set of a live process, in bytes; empty when it has exited or this is not Linux. */
    public static OptionalLong peakRss(long pid) {
        try {
            Matcher m = HWM.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The largest heap occupancy before a collection in a unified GC log, in bytes; empty when none was logged. */
    public static OptionalLong peakHeap(Path gcLog) {
        if (!Files.exists(gcLog)) {
            return OptionalLong.empty();
        }
        try (Stream<String> lines = Files.lines(gcLog, StandardCharsets.UTF_8)) {
            return lines.map(COLLECTION::matcher).filter(Matcher::find)
                    .mapToLong(m -> bytes(m.group(1), m.group(2))).max();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static long bytes(String number, String unit) {
        long value = Long.parseLong(number);
        return switch (unit) {
            case "K" -> value * 1024;
            case "M" -> value * 1024 * 1024;
            default -> value * 1024 * 1024 * 1024;
        };
    }
}
