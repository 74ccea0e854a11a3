package dev.catalogautopilot.testing.cluster;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Every request a simulated API server received, so tests can count the writes a service made. */
public final class ApiRequestLog {

    /** One request: method, path without query, and when it arrived. */
    public record Request(String method, String path, Instant at) {

        /** Whether the request changes state (anything but GET, HEAD and OPTIONS). */
        public boolean isWrite() {
            return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    void record(String method, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        requests.add(new Request(method, query < 0 ? pathAndQuery : pathAndQuery.substring(0, query), Instant.now()));
    }

    public List<Request> all() {
        return List.copyOf(requests);
    }

    public long count(Predicate<Request> filter) {
        return requests.stream().filter(filter).count();
    }

    /** PATCH requests to the CatalogSource itself; status updates (the OLM's) are not counted. */
    public long catalogSourcePatches(String namespace, String name) {
        String path = "/apis/operators.coreos.com/v1alpha1/namespaces/" + namespace + "/catalogsources/" + name;
        return count(r -> r.method().equals("PATCH") && r.path().equals(path));
    }

    /** Every write to the CatalogSource itself (create, patch, replace, delete), status updates excluded. */
    public long catalogSourceWrites(String namespace, String name) {
        String collection = "/apis/operators.coreos.com/v1alpha1/namespaces/" + namespace + "/catalogsources";
        return count(r -> r.isWrite() && (r.path().equals(collection + "/" + name)
                || (r.method().equals("POST") && r.path().equals(collection))));
    }

    /** Writes to ImageContentSourcePolicies and ImageDigestMirrorSets: each one may reboot nodes. */
    public long mirrorSetWrites() {
        return count(r -> r.isWrite() && (r.path().contains("/imagecontentsourcepolicies")
                || r.path().contains("/imagedigestmirrorsets")));
    }
}
