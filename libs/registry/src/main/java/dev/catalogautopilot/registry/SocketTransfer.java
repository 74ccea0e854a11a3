package dev.catalogautopilot.registry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Moves one blob from a registry's {@code GET} straight into another's monolithic {@code PUT} over two sockets
 * (TLS with hostname verification for https), through one reusable buffer: the kernel copies the bytes in and out
 * and the JVM only hashes them. The JDK HttpClient spends about three times more CPU per byte on the same copy and
 * a fixed cost per request in its asynchronous machinery (executor hand-offs, subscriber chains), which on a small
 * machine is what limits throughput. Connections are kept alive and reused per origin (HTTP/1.1 persistent
 * connections), so a small blob costs no connection set-up or TLS handshake. Only the plain case is handled here:
 * a source that answers anything but {@code 200} with the expected length (a redirect, a 401, chunked encoding) is
 * left to the HttpClient path, which knows redirects and authentication.
 */
final class SocketTransfer {

    private static final int BUFFER = 1 << 20;
    private static final int MAX_HEAD = 64 * 1024;
    /** Idle connections kept per origin; more are closed when returned. */
    private static final int MAX_IDLE_PER_ORIGIN = 64;
    /** An idle connection older than this is closed rather than reused: registries and proxies drop idle ones. */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** A connection idle longer than this is probed for a close by the server before it is reused. */
    private static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    /** Longest wait for a response head. */
    private final Duration headTimeout;
    /** Longest wait for the next body bytes, read or written. */
    private final Duration idleTimeout;
    private final String userAgent;
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();

    SocketTransfer(SSLSocketFactory tls, Duration connectTimeout, Duration headTimeout, Duration idleTimeout,
                   String userAgent) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.headTimeout = headTimeout;
        this.idleTimeout = idleTimeout;
        this.userAgent = userAgent;
    }

    /** A source response ready to stream, or null when the HttpClient path must take over. */
    Source open(URI uri, String authorization, long size) throws IOException {
        Exchange exchange = send("GET", uri, authorization, -1);
        Connection connection = exchange.connection();
        Head head = exchange.head();
        String length = head.headers.get("content-length");
        try {
            if (head.status != 200 || head.headers.containsKey("transfer-encoding") || length == null
                    || Long.parseLong(length.strip()) != size) {
                connection.close();
                return null;
            }
        } catch (NumberFormatException e) {
            connection.close();
            return null;
        }
        connection.socket.setSoTimeout(millis(idleTimeout)); // the body: bytes must keep coming
        return new Source(connection, head.keepAlive());
    }

    /** A request's connection, positioned after the response head. */
    private record Exchange(Connection connection, Head head) {
    }

    /**
     * Sends a request without a body and reads the response head. A reused connection the server closed while it
     * was idle gets the request once more on a fresh one: safe for a {@code GET}, and for an upload {@code POST} it
     * at worst leaves a session that expires unused.
     */
    private Exchange send(String method, URI uri, String authorization, long contentLength) throws IOException {
        Connection connection = checkout(uri, false);
        try {
            connection.writeHead(method, uri, authorization, contentLength);
            return new Exchange(connection, connection.readHead());
        } catch (IOException e) {
            connection.close();
            if (!connection.reused) {
                throw e;
            }
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        Connection fresh = connect(uri);
        try {
            fresh.writeHead(method, uri, authorization, contentLength);
            return new Exchange(fresh, fresh.readHead());
        } catch (IOException | RuntimeException again) {
            fresh.close();
            throw again;
        }
    }

    /** The status of an upload {@code POST} and its {@code Location}, if any. */
    record Answer(int status, String location) {
    }

    /**
     * Sends a bodiless {@code POST} that opens an upload session (or mounts a blob); a {@code 202} answer carries the
     * session's {@code Location}. Any other answer (a 401 to negotiate, an error to report) is for the caller to
     * hand to the HttpClient path.
     */
    Answer openUpload(URI uri, String authorization) throws IOException {
        Exchange exchange = send("POST", uri, authorization, 0);
        Connection connection = exchange.connection();
        Head head = exchange.head();
        long length = head.bodyLength();
        if (head.keepAlive() && length >= 0 && length <= MAX_HEAD
                && connection.in.readNBytes((int) length).length == length) {
            release(connection);
        } else {
            connection.close();
        }
        return new Answer(head.status, head.headers.get("location"));
    }

    /**
     * Streams {@code size} bytes of {@code source} to {@code upload}, verifying {@code digest} before the last byte
     * leaves; returns the status of the upload's answer and fills {@code errorBody} with its start otherwise. Both
     * connections go back to the pool when their exchanges completed cleanly.
     */
    int put(Source source, URI upload, String authorization, Digest digest, long size, ByteArrayOutputStream errorBody)
            throws IOException {
        try (source) {
            // The body is read from the source as it is sent: a stale connection must be noticed before.
            Connection connection = checkout(upload, true);
            boolean reusable = false;
            try {
                connection.writeHead("PUT", upload, authorization, size);
                MessageDigest sha256 = Digest.newSha256();
                byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, size))];
                long sent = 0;
                // Reads time out on their own (SO_TIMEOUT); a write to a target that stops reading blocks until the
                // watchdog closes the sockets under it.
                Stall stall = new Stall(source.connection.socket, connection.socket);
                try {
                    while (sent < size) {
                        int n = source.connection.in.read(buffer, 0, (int) Math.min(buffer.length, size - sent));
                        if (n < 0) {
                            throw new IOException("blob " + digest + " ended after " + sent + " of " + size
                                    + " bytes");
                        }
                        sha256.update(buffer, 0, n);
                        sent += n;
                        if (sent == size) {
                            Digest actual = Digest.fromHash(sha256.digest());
                            if (!actual.equals(digest)) {
                                // The upload never gets its last bytes: the registry commits nothing.
                                throw new DigestingInputStream.DigestMismatchException(digest, actual, size);
                            }
                            source.complete();
                        }
                        stall.writing();
                        connection.out.write(buffer, 0, n);
                        stall.wrote();
                    }
                    connection.out.flush();
                } catch (IOException e) {
                    if (stall.fired() || e instanceof SocketTimeoutException) {
                        SocketTimeoutException timeout = new SocketTimeoutException(IdleWatchdog.describe(
                                (stall.fired() ? "upload of blob " : "download of blob ") + digest, idleTimeout));
                        timeout.initCause(e);
                        throw timeout;
                    }
                    throw e;
                } finally {
                    stall.stop();
                }
                Head head = connection.readHead();
                long length = head.bodyLength();
                if (head.status != 201 && head.status != 204) {
                    connection.socket.setSoTimeout(millis(idleTimeout));
                    errorBody.write(connection.in.readNBytes(
                            (int) (length >= 0 ? Math.min(length, MAX_HEAD) : MAX_HEAD)));
                    reusable = head.keepAlive() && length >= 0 && length <= MAX_HEAD;
                } else if (length >= 0 && length <= MAX_HEAD) {
                    reusable = connection.in.readNBytes((int) length).length == length && head.keepAlive();
                }
                return head.status;
            } finally {
                if (reusable) {
                    release(connection);
                } else {
                    connection.close();
                }
            }
        }
    }

    /** Closes both sockets when one write has waited longer than the idle timeout. */
    private final class Stall {
        private final Socket source;
        private final Socket target;
        private final ScheduledFuture<?> check;
        private volatile long writingSince = -1;
        private volatile boolean fired;

        Stall(Socket source, Socket target) {
            this.source = source;
            this.target = target;
            this.check = IdleWatchdog.every(idleTimeout, this::check);
        }

        void writing() {
            writingSince = System.nanoTime();
        }

        void wrote() {
            writingSince = -1;
        }

        boolean fired() {
            return fired;
        }

        void stop() {
            check.cancel(false);
        }

        private void check() {
            long since = writingSince;
            if (since < 0 || fired || System.nanoTime() - since <= idleTimeout.toNanos()) {
                return;
            }
            fired = true;
            check.cancel(false);
            try {
                target.close();
                source.close();
            } catch (IOException ignored) {
                // the blocked write fails either way
            }
        }
    }

    private static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** An open source response positioned at its body; its connection is reused once the body was read whole. */
    final class Source implements AutoCloseable {
        private final Connection connection;
        private final boolean keepAlive;
        private boolean complete;

        private Source(Connection connection, boolean keepAlive) {
            this.connection = connection;
            this.keepAlive = keepAlive;
        }

        private void complete() {
            complete = true;
        }

        @Override
        public void close() {
            if (complete && keepAlive) {
                release(connection);
            } else {
                connection.close();
            }
        }
    }

    private record Head(int status, Map<String, String> headers, boolean http11) {

        /** Whether the server lets the connection be reused after this exchange. */
        boolean keepAlive() {
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            return http11 ? !connection.contains("close") : connection.contains("keep-alive");
        }

        /** The body's length, or -1 when it is delimited otherwise (chunked, or by the connection closing). */
        long bodyLength() {
            if (headers.containsKey("transfer-encoding")) {
                return -1;
            }
            String length = headers.get("content-length");
            if (length == null) {
                return status == 204 || status == 304 ? 0 : -1;
            }
            try {
                return Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /**
     * An idle connection to the origin of {@code uri}, or a new one.
     *
     * @param probe whether to probe every idle connection before reusing it, not only long-idle ones: for a
     *              request whose body cannot be sent again
     */
    private Connection checkout(URI uri, boolean probe) throws IOException {
        ConcurrentLinkedDeque<Connection> pool = idle.get(origin(uri));
        if (pool != null) {
            long now = System.nanoTime();
            for (Connection c = pool.pollFirst(); c != null; c = pool.pollFirst()) {
                long idleFor = now - c.idleSince;
                if (idleFor > MAX_IDLE_NANOS || (probe || idleFor > PROBE_AFTER_NANOS) && c.closedByPeer()) {
                    c.close();
                    continue;
                }
                c.reused = true;
                return c;
            }
        }
        return connect(uri);
    }

    private void release(Connection connection) {
        try {
            connection.socket.setSoTimeout(connection.timeout); // back to waiting for heads
        } catch (IOException e) {
            connection.close();
            return;
        }
        ConcurrentLinkedDeque<Connection> pool = idle.computeIfAbsent(connection.origin,
                o -> new ConcurrentLinkedDeque<>());
        connection.idleSince = System.nanoTime();
        pool.addFirst(connection);
        if (pool.size() > MAX_IDLE_PER_ORIGIN) {
            Connection oldest = pool.pollLast();
            if (oldest != null) {
                oldest.close();
            }
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    private Connection connect(URI uri) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        int timeout = millis(headTimeout);
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(timeout);
            plain.connect(new InetSocketAddress(uri.getHost(), port), (int) connectTimeout.toMillis());
            if (!https) {
                return new Connection(origin(uri), plain, timeout);
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(plain, uri.getHost(), port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return new Connection(origin(uri), secure, timeout);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** One HTTP/1.1 connection, used by one exchange at a time. */
    private final class Connection {
        final String origin;
        final Socket socket;
        final BufferedInputStream in;
        final OutputStream out;
        final int timeout;
        long idleSince;
        boolean reused;

        Connection(String origin, Socket socket, int timeout) throws IOException {
            this.origin = origin;
            this.socket = socket;
            this.timeout = timeout;
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            this.out = socket.getOutputStream();
        }

        /** Whether the server closed (or wrote to) the idle connection: a read that does not time out at once. */
        boolean closedByPeer() {
            try {
                if (in.available() > 0) {
                    return true;
                }
                socket.setSoTimeout(1);
                try {
                    in.read();
                    return true;
                } catch (SocketTimeoutException alive) {
                    socket.setSoTimeout(timeout);
                    return false;
                }
            } catch (IOException e) {
                return true;
            }
        }

        void writeHead(String method, URI uri, String authorization, long contentLength) throws IOException {
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(uri.getRawPath());
            if (uri.getRawQuery() != null) {
                head.append('?').append(uri.getRawQuery());
            }
            head.append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority())
                    .append("\r\nUser-Agent: ").append(userAgent).append("\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (contentLength >= 0) {
                head.append("Content-Type: application/octet-stream\r\nContent-Length: ").append(contentLength)
                        .append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        Head readHead() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before the response head ended");
                }
                bytes.write(b);
                if (bytes.size() > MAX_HEAD) {
                    throw new IOException("response head larger than " + MAX_HEAD + " bytes");
                }
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response");
            }
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1.x status line");
            }
            return new Head(status, headers, statusLine[0].equals("HTTP/1.1"));
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }
}
