package dev.catalogautopilot.rollout.intake;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.registry.ContentArtifacts;
import dev.catalogautopilot.registry.CredentialStore;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.rollout.config.RolloutConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the mirror sets a catalog-mirrored event names from the mirror registry, each checked against the digest
 * and size the event gives, so the documents applied to clusters are exactly those the mirror published.
 */
@ApplicationScoped
public class MirrorSetContent {

    /**
     * The two documents of one event.
     *
     * @param imageContentSourcePolicy the ImageContentSourcePolicy YAML
     * @param imageDigestMirrorSet     the ImageDigestMirrorSet YAML
     */
    public record Documents(String imageContentSourcePolicy, String imageDigestMirrorSet) {
    }

    private final ContentArtifacts content;

    public MirrorSetContent(RolloutConfig config) {
        RolloutConfig.Registry registry = config.registry();
        CredentialStore credentials = registry.authFile().map(file -> CredentialStore.fromFile(Path.of(file)))
                .orElseGet(CredentialStore::fromDefaultLocations);
        this.content = new ContentArtifacts(RegistryClient.builder()
                .credentials(credentials)
                .insecureRegistries(registry.insecure().orElse(List.of()))
                .requestTimeout(registry.requestTimeout())
                .userAgent("catalog-autopilot-rollout/1")
                .build());
    }

    /** Blocking: call it off the event loop. */
    public Documents read(CatalogMirrored mirrored) {
        return new Documents(text(mirrored.imageContentSourcePolicy()), text(mirrored.imageDigestMirrorSet()));
    }

    private String text(ContentRef ref) {
        return content.readText(ref.reference(), ref.size(), ContentTypes.MAX_CONTENT_BYTES);
    }
}
