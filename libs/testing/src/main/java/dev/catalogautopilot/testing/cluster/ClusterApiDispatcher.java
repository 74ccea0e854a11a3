package dev.catalogautopilot.testing.cluster;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/** The CRUD dispatcher of fabric8's mock server, with a request log and an injectable fault in front. */
final class ClusterApiDispatcher extends Dispatcher {

    // Longer than any test: the client times out first.
    private static final Duration NEVER = Duration.ofHours(1);

    private final KubernetesMixedDispatcher crud;
    private final ApiRequestLog log;
    private volatile ApiServerMode mode = ApiServerMode.ANSWERING;

    ClusterApiDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations,
            List<CustomResourceDefinitionContext> served, ApiRequestLog log) {
        this.crud = new KubernetesMixedDispatcher(expectations, served);
        this.log = log;
    }

    void mode(ApiServerMode mode) {
        this.mode = mode;
    }

    ApiServerMode mode() {
        return mode;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        log.record(request.getMethod(), request.getPath());
        return switch (mode) {
            case ANSWERING -> crud.dispatch(request);
            case FAILING -> new MockResponse().setResponseCode(503)
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503}");
            // The mock server sends nothing before the body delay has passed.
            case SILENT -> new MockResponse().setResponseCode(200).setBody("{}").setBodyDelay(NEVER);
        };
    }
}
