package dev.catalogautopilot.registry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Moves one large blob from a registry's {@code GET} straight into another's monolithic {@code PUT} over two
 * sockets (TLS with hostname verification for https), through one reusable buffer: the kernel copies the bytes in
 * and out and the JVM only hashes them. The JDK HttpClient spends about three times more CPU per byte on the same
 * copy, which on a small machine is what limits large-blob throughput. Only the plain case is handled here: a
 * source that answers anything but {@code 200} with the expected length (a redirect, a 401, chunked encoding) is
 * left to the HttpClient path, which knows redirects and authentication.
 */
final class SocketTransfer {

    private static final int BUFFER = 1 << 20;
    private static final int MAX_HEAD = 64 * 1024;

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    /** Longest wait for a response head. */
    private final Duration headTimeout;
    /** Longest wait for the next body bytes, read or written. */
    private final Duration idleTimeout;
    private final String userAgent;

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
        Socket socket = connect(uri);
        try {
            writeHead(socket.getOutputStream(), "GET", uri, authorization, -1);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            Head head = readHead(in);
            String length = head.headers.get("content-length");
            if (head.status != 200 || head.headers.containsKey("transfer-encoding") || length == null
                    || Long.parseLong(length.strip()) != size) {
                socket.close();
                return null;
            }
            socket.setSoTimeout(millis(idleTimeout));
            return new Source(socket, in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Streams {@code size} bytes of {@code source} to {@code upload}, verifying {@code digest} before the last byte
     * leaves; returns the status of the upload's answer and fills {@code errorBody} with its start otherwise.
     */
    int put(Source source, URI upload, String authorization, Digest digest, long size, ByteArrayOutputStream errorBody)
            throws IOException {
        try (source; Socket socket = connect(upload)) {
            OutputStream out = socket.getOutputStream();
            writeHead(out, "PUT", upload, authorization, size);
            MessageDigest sha256 = Digest.newSha256();
            byte[] buffer = new byte[BUFFER];
            long sent = 0;
            // Reads time out on their own (SO_TIMEOUT); a write to a target that stops reading blocks until the
            // watchdog closes the sockets under it.
            Stall stall = new Stall(source.socket, socket);
            try {
                while (sent < size) {
                    int n = source.in.read(buffer, 0, (int) Math.min(buffer.length, size - sent));
                    if (n < 0) {
                        throw new IOException("blob " + digest + " ended after " + sent + " of " + size + " bytes");
                    }
                    sha256.update(buffer, 0, n);
                    sent += n;
                    if (sent == size) {
                        Digest actual = Digest.fromHash(sha256.digest());
                        if (!actual.equals(digest)) {
                            // The upload never gets its last bytes: the registry commits nothing.
                            throw new DigestingInputStream.DigestMismatchException(digest, actual, size);
                        }
                    }
                    stall.writing();
                    out.write(buffer, 0, n);
                    stall.wrote();
                }
                out.flush();
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
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            Head head = readHead(in);
            if (head.status != 201 && head.status != 204) {
                socket.setSoTimeout(millis(idleTimeout));
                errorBody.write(in.readNBytes(MAX_HEAD));
            }
            return head.status;
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

    /** An open source response positioned at its body. */
    static final class Source implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        private Source(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private Socket connect(URI uri) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(millis(headTimeout));
            plain.connect(new InetSocketAddress(uri.getHost(), port), (int) connectTimeout.toMillis());
            if (!https) {
                return plain;
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(plain, uri.getHost(), port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private void writeHead(OutputStream out, String method, URI uri, String authorization, long contentLength)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority())
                .append("\r\nUser-Agent: ").append(userAgent)
                .append("\r\nConnection: close\r\n");
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

    private static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
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
        return new Head(Integer.parseInt(statusLine[1]), headers);
    }
}
