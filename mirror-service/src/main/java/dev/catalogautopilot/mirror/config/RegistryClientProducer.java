package dev.catalogautopilot.mirror.config;

import dev.catalogautopilot.registry.CredentialStore;
import dev.catalogautopilot.registry.RegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.util.List;

/** The one registry client of the service: the planner reads build content with it, the workers copy with it. */
@ApplicationScoped
public class RegistryClientProducer {

    @Produces
    @ApplicationScoped
    RegistryClient registryClient(MirrorConfig config) {
        MirrorConfig.Registry registry = config.registry();
        CredentialStore credentials = registry.authFile().map(file -> CredentialStore.fromFile(Path.of(file)))
                .orElseGet(CredentialStore::fromDefaultLocations);
        return RegistryClient.builder()
                .credentials(credentials)
                .insecureRegistries(registry.insecure().orElse(List.of()))
                .maxRetries(registry.retries())
                .backoffBase(registry.backoff())
                .requestTimeout(registry.requestTimeout())
                .idleTimeout(registry.idleTimeout())
                .socketThreshold(registry.socketThreshold())
                .userAgent("catalog-autopilot-mirror/1")
                .build();
    }
}
