package dev.catalogautopilot.testing.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {

    @TempDir
    Path dir;

    @Test
    void thePeakHeapIsTheLargestOccupancyAnyCollectionStartedFrom() throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, """
                [0.004s][info][gc] Using Serial
                [1.203s][info][gc] GC(0) Pause Young (Allocation Failure) 17M->3M(61M) 9.114ms
                [5.880s][info][gc] GC(1) Pause Full (Allocation Failure) 612M->201M(1024M) 310.2ms
                [6.101s][info][gc] GC(2) Pause Young (Allocation Failure) 300M->210M(1024M) 12.0ms
                """);

        assertThat(ProcessMemory.peakHeap(log)).hasValue(612L * 1024 * 1024);
        assertThat(ProcessMemory.peakHeap(dir.resolve("missing.log"))).isEmpty();
    }

    @Test
    void thePeakRssOfALiveProcessIsReadFromTheKernel() {
        assertThat(ProcessMemory.peakRss(ProcessHandle.current().pid()).orElseThrow())
                .isGreaterThan(Runtime.getRuntime().totalMemory() / 4);
        assertThat(ProcessMemory.peakRss(Long.MAX_VALUE)).isEmpty();
    }
}
