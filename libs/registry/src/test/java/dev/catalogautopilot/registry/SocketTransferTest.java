package dev.catalogautopilot.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket path against a minimal HTTP/1.1 server that can keep connections alive or drop them. */
class SocketTransferTest {

    private static final byte[] BLOB = "some blob content, not too short".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256(BLOB);

    private final SocketTransfer transfer = new SocketTransfer(null, Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(10), "test");
    private MiniServer server;

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void reusesOneConnectionForEveryExchangeOfConsecutiveCopies() throws Exception {
        server = new MiniServer(BLOB, Integer.MAX_VALUE);
        for (int i = 0; i < 3; i++) {
            assertThat(copy()).isEqualTo(201);
        }
        assertThat(server.uploads).hasSize(3).allSatisfy(body -> assertThat(body).isEqualTo(BLOB));
        // One connection for the GETs, one for the POSTs and PUTs (released before the PUT checks out).
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aConnectionTheServerClosedIsReplacedAndTheCopySucceeds() throws Exception {
        server = new MiniServer(BLOB, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(copy()).isEqualTo(201);
            server.awaitAllClosed();
        }
        assertThat(server.uploads).hasSize(3);
        assertThat(server.connections.get()).isGreaterThan(2);
    }

    @Test
    void aCorruptSourceFailsBeforeTheUploadIsCompleteAndItsConnectionIsNotReused() throws Exception {
        byte[] corrupt = BLOB.clone();
        corrupt[3] ^= 1;
        server = new MiniServer(corrupt, Integer.MAX_VALUE);
        assertThatThrownBy(this::copy).isInstanceOf(DigestingInputStream.DigestMismatchException.class);
        assertThat(server.uploads).isEmpty();
        server.blob = BLOB;
        assertThat(copy()).isEqualTo(201);
        assertThat(server.uploads).hasSize(1);
    }

    @Test
    void aSourceAnsweringAnythingButThePlainBlobIsLeftToTheHttpClientPath() throws Exception {
        server = new MiniServer(BLOB, Integer.MAX_VALUE);
        server.getStatus = 401;
        assertThat(transfer.open(server.uri("/v2/a/blobs/" + DIGEST.value()), null, BLOB.length)).isNull();
    }

    private int copy() throws IOException {
        SocketTransfer.Source source = transfer.open(server.uri("/v2/a/blobs/" + DIGEST.value()), null, BLOB.length);
        assertThat(source).isNotNull();
        String location = transfer.openUpload(server.uri("/v2/b/blobs/uploads/"), null).location();
        assertThat(location).isEqualTo("/v2/b/blobs/uploads/session");
        return transfer.put(source, server.uri(location + "?digest=" + DIGEST.value()), null, DIGEST, BLOB.length,
                new ByteArrayOutputStream());
    }

    /** Answers GET (the blob), POST (202 with a session) and PUT (201); closes a connection after N exchanges. */
    private static final class MiniServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<byte[]> uploads = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final int exchangesPerConnection;
        volatile byte[] blob;
        volatile int getStatus = 200;

        MiniServer(byte[] blob, int exchangesPerConnection) throws IOException {
            this.blob = blob;
            this.exchangesPerConnection = exchangesPerConnection;
            Thread acceptor = new Thread(this::accept, "mini-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    connections.incrementAndGet();
                    open.add(client);
                    Thread t = new Thread(() -> serve(client), "mini-server-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket client) {
            try (client) {
                InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                for (int exchange = 0; exchange < exchangesPerConnection; exchange++) {
                    List<String> head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    String method = head.get(0).split(" ")[0];
                    long length = head.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                            .map(h -> Long.parseLong(h.substring(15).strip())).findFirst().orElse(0L);
                    switch (method) {
                        case "GET" -> {
                            byte[] body = getStatus == 200 ? blob : new byte[0];
                            out.write(("HTTP/1.1 " + getStatus + " X\r\nContent-Length: " + body.length + "\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            out.write(body);
                        }
                        case "POST" -> out.write(("HTTP/1.1 202 Accepted\r\nLocation: /v2/b/blobs/uploads/session\r\n"
                                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        case "PUT" -> {
                            byte[] body = in.readNBytes((int) length);
                            if (body.length < length) {
                                return;
                            }
                            uploads.add(body);
                            out.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        }
                        default -> {
                            return;
                        }
                    }
                    out.flush();
                }
            } catch (IOException dropped) {
                // The client went away.
            } finally {
                closed.incrementAndGet();
            }
        }

        /** Waits (bounded) until the server has closed every connection it accepted, as a server's idle timeout. */
        void awaitAllClosed() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (closed.get() < connections.get() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(closed.get()).isEqualTo(connections.get());
        }

        private static List<String> readHead(InputStream in) throws IOException {
            List<String> lines = new ArrayList<>();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1).strip();
                    line.reset();
                    if (text.isEmpty()) {
                        return lines;
                    }
                    lines.add(text);
                } else {
                    line.write(b);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
