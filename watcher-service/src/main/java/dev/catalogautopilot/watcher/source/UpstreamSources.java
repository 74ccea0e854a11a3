package dev.catalogautopilot.watcher.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.CredentialStore;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.watcher.appregistry.AppRegistryApi;
import dev.catalogautopilot.watcher.appregistry.AppRegistryCredentials;
import dev.catalogautopilot.watcher.appregistry.AppRegistryReader;
import dev.catalogautopilot.watcher.change.PackageFilter;
import dev.catalogautopilot.watcher.config.WatcherConfig;
import dev.catalogautopilot.watcher.poll.OrderedFanOut;
import dev.catalogautopilot.watcher.poll.Retrier;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Builds each configured catalog's upstream source once, failing startup on an incomplete configuration. */
@ApplicationScoped
public class UpstreamSources {

    /** The most App Registry requests of one poll in flight at once that the watcher accepts as configuration. */
    private static final int MAX_POLL_CONCURRENCY = 64;
    /** How long a failed poll waits for its other requests, interrupted, to end. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Map<String, UpstreamSource> sources = new TreeMap<>();

    public UpstreamSources(WatcherConfig config) {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Retrier retrier = new Retrier(config.retry().attempts(), config.retry().initialBackoff());
        config.catalogs().forEach((name, catalog) -> sources.put(name, create(name, catalog, config, json, retrier)));
    }

    public UpstreamSource get(String catalog) {
        UpstreamSource source = sources.get(catalog);
        if (source == null) {
            throw new NoSuchElementException("no watched catalog named " + catalog);
        }
        return source;
    }

    public boolean contains(String catalog) {
        return sources.containsKey(catalog);
    }

    private static UpstreamSource create(String name, WatcherConfig.CatalogConfig catalog, WatcherConfig config,
            ObjectMapper json, Retrier retrier) {
        return switch (catalog.type()) {
            case APP_REGISTRY -> {
                URI url = catalog.url().orElseThrow(() -> missing(name, "url"));
                String namespace = catalog.namespace().orElseThrow(() -> missing(name, "namespace"));
                int concurrency = pollConcurrency(config);
                // readTimeout is the idle timeout of a response; the pool holds a connection per request in flight
                AppRegistryApi api = QuarkusRestClientBuilder.newBuilder()
                        .baseUri(url)
                        .connectTimeout(10, TimeUnit.SECONDS)
                        .readTimeout(60, TimeUnit.SECONDS)
                        .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, concurrency)
                        .build(AppRegistryApi.class);
                AppRegistryCredentials credentials = catalog.credentials()
                        .map(file -> AppRegistryCredentials.fromFile(Path.of(file), json))
                        .orElse(AppRegistryCredentials.NONE);
                PackageFilter filter = PackageFilter.of(catalog.packages().include().orElse(List.of()),
                        catalog.packages().exclude().orElse(List.of()));
                yield new AppRegistrySource(url, namespace, filter,
                        new AppRegistryReader(api, namespace, credentials, config.maxResponseBytes(), retrier,
                                new OrderedFanOut(concurrency, STOP_GRACE, "app-registry-" + name), json));
            }
            case INDEX_IMAGE -> {
                ImageReference image = ImageReference.parse(catalog.image().orElseThrow(() -> missing(name, "image")));
                CredentialStore credentials = catalog.credentials()
                        .map(file -> CredentialStore.fromFile(Path.of(file)))
                        .orElseGet(CredentialStore::fromDefaultLocations);
                RegistryClient client = RegistryClient.builder()
                        .credentials(credentials)
                        .insecureRegistries(catalog.insecure() ? Set.of(image.registry()) : Set.of())
                        .maxRetries(config.retry().attempts() - 1)
                        .build();
                yield new IndexImageSource(image, client);
            }
        };
    }

    private static int pollConcurrency(WatcherConfig config) {
        int concurrency = config.appRegistry().pollConcurrency();
        if (concurrency < 1 || concurrency > MAX_POLL_CONCURRENCY) {
            throw new IllegalArgumentException("watcher.app-registry.poll-concurrency must be from 1 to "
                    + MAX_POLL_CONCURRENCY + ", not " + concurrency);
        }
        return concurrency;
    }

    private static IllegalArgumentException missing(String catalog, String setting) {
        return new IllegalArgumentException("watcher.catalogs." + catalog + "." + setting + " is required for its type");
    }
}
