package dev.catalogautopilot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class IdleTimeoutInputStreamTest {

    @Test
    @Timeout(30)
    void aBodyThatStallsAfterSomeBytesFailsTheReadAfterTheIdleTimeout() throws IOException {
        PipedInputStream body = new PipedInputStream();
        PipedOutputStream peer = new PipedOutputStream(body);
        peer.write(new byte[] {1, 2, 3});
        AtomicInteger progress = new AtomicInteger();
        try (IdleTimeoutInputStream in = new IdleTimeoutInputStream(body, Duration.ofMillis(200), "blob x",
                progress::incrementAndGet)) {
            assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("blob x: no data for 200 ms (idle timeout)");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt stays with the read").isFalse();
            assertThatThrownBy(in::read).as("a timed-out body stays failed").isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(progress.get()).isPositive();
        peer.close();
    }
}
