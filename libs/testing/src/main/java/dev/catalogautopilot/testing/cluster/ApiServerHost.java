package dev.catalogautopilot.testing.cluster;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fabric8 mock web server (one port, one Vert.x) serving the API servers of many simulated clusters, each
 * under its own path, {@code /clusters/<name>}; the path is in the cluster's kubeconfig, and the prefix is
 * stripped before the cluster's own CRUD dispatcher sees the request. A mock server per cluster costs a Vert.x
 * instance and its threads each, which at a thousand clusters is thousands of threads.
 */
final class ApiServerHost implements AutoCloseable {

    private static final String PREFIX = "/clusters/";

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Dispatcher> clusters = new ConcurrentHashMap<>();

    ApiServerHost() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return route(request);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    /** Serves {@code dispatcher} under {@code /clusters/<name>}; returns the API server's URL. */
    String add(String name, Dispatcher dispatcher) {
        if (clusters.putIfAbsent(name, dispatcher) != null) {
            throw new IllegalArgumentException("two simulated clusters are named " + name);
        }
        return "http://127.0.0.1:" + server.getPort() + PREFIX + name;
    }

    void remove(String name) {
        clusters.remove(name);
    }

    private MockResponse route(RecordedRequest request) {
        String path = request.getPath();
        int end = path.startsWith(PREFIX) ? path.indexOf('/', PREFIX.length()) : -1;
        Dispatcher cluster = end < 0 ? null : clusters.get(path.substring(PREFIX.length(), end));
        if (cluster == null) {
            return new MockResponse().setResponseCode(404).setBody("no simulated cluster at " + path);
        }
        return cluster.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), path.substring(end),
                request.getHeaders(), request.getBody()));
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
