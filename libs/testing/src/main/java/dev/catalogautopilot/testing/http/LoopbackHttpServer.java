package dev.catalogautopilot.testing.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the JDK HTTP servers the test infrastructure serves with (the fixture App Registry, the protected
 * registry, the registry proxy), all with TCP_NODELAY. Without it the JDK's server writes a response's headers and
 * body in separate segments and Linux's delayed ACK holds each small response about 40 ms: 300 requests in a row
 * cost 12 s of nothing, which a benchmark would count against the client.
 */
public final class LoopbackHttpServer {

    static {
        // Read once, when the JDK's server implementation is first loaded: set before any server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttpServer() {
    }

    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return HttpServer.create(address, backlog);
    }
}
