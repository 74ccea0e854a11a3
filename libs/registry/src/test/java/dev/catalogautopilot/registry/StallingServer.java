package dev.catalogautopilot.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server whose routes answer with headers and then stall: the body is cut short and the exchange
 * held until the server closes, as a registry or token service that hangs mid-body would. Other routes answer
 * normally or read a request body without ever answering.
 */
final class StallingServer implements AutoCloseable {

    @FunctionalInterface
    interface Route {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "stalling-server");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    StallingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            Route route = routes.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            try (exchange) {
                if (route == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    route.handle(exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** {@code host:port}, as a registry name. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    StallingServer route(String method, String path, Route route) {
        routes.put(method + " " + path, route);
        return this;
    }

    /** A route that sends {@code status}, headers and the first {@code sent} of {@code length} bytes, then stalls. */
    Route stallAfter(int status, Map<String, String> headers, long length, int sent) {
        return exchange -> {
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(status, length);
            OutputStream out = exchange.getResponseBody();
            out.write(" ".repeat(sent).getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // valid JSON so far
            out.flush();
            closed.await();
        };
    }

    /** A route that answers in full. */
    static Route answer(int status, Map<String, String> headers, byte[] body) {
        return exchange -> {
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        };
    }

    /** A route that reads its request body to the end (or until the client gives up), then answers. */
    static Route consume(int status, Map<String, String> headers) {
        return exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException clientGaveUp) {
                return;
            }
            answer(status, headers, new byte[0]).handle(exchange);
        };
    }

    /** A route that never reads its request body nor answers. */
    Route neverRead() {
        return exchange -> closed.await();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
