package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.builder.config.BuilderConfig;
import dev.catalogautopilot.builder.config.BuilderConfig.ValidationPolicy;
import dev.catalogautopilot.builder.fbc.Semver;
import dev.catalogautopilot.builder.filter.FilterSpec;
import dev.catalogautopilot.builder.image.ImagePlatform;
import dev.catalogautopilot.registry.CredentialStore;
import dev.catalogautopilot.registry.ImageReference;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One catalog's configuration, checked and turned into values once at startup.
 *
 * @param baseImage          null when not configured: every build of the catalog then fails with that reason
 * @param appRegistryToken   the App Registry credentials file, if any
 * @param upstream           null when not configured: every build of the catalog then fails with that reason
 */
public record CatalogSettings(String name, ImageReference target, ImageReference baseImage,
        List<ImagePlatform> platforms, FilterSpec filter, CredentialStore credentials, Set<String> insecureRegistries,
        Path appRegistryToken, ValidationPolicy policy, ConfiguredUpstream upstream) {

    public static CatalogSettings of(String name, BuilderConfig.CatalogConfig config) {
        ImageReference target = ImageReference.parse(config.target() + "/" + name + ":" + config.tag());
        ImageReference base = config.baseImage().map(ImageReference::parse).orElse(null);
        List<ImagePlatform> platforms = config.platforms().stream().map(ImagePlatform::parse).distinct().toList();
        CredentialStore credentials = config.authFile().map(f -> CredentialStore.fromFile(Path.of(f)))
                .orElseGet(CredentialStore::empty);
        Set<String> insecure = new HashSet<>();
        config.insecureRegistries().orElse(List.of()).forEach(r -> insecure.add(ImageReference.canonicalRegistry(r)));
        return new CatalogSettings(name, target, base, platforms, filter(name, config.filter()), credentials,
                Set.copyOf(insecure), config.appRegistryCredentials().map(Path::of).orElse(null),
                config.validationPolicy(), ConfiguredUpstream.of(name, config.upstream()).orElse(null));
    }

    private static FilterSpec filter(String catalog, BuilderConfig.Filter filter) {
        Map<String, FilterSpec.PackageSpec> packages = new LinkedHashMap<>();
        filter.packages().forEach((pkg, spec) -> packages.put(pkg, new FilterSpec.PackageSpec(
                new HashSet<>(spec.channels().orElse(List.of())),
                version(catalog, pkg, spec.minVersion()), version(catalog, pkg, spec.maxVersion()))));
        return new FilterSpec(new HashSet<>(filter.include().orElse(List.of())),
                new HashSet<>(filter.exclude().orElse(List.of())), filter.headsOnly(), packages);
    }

    private static Optional<Semver> version(String catalog, String pkg, Optional<String> text) {
        return text.map(v -> Semver.tryParse(v).orElseThrow(() -> new IllegalArgumentException(
                "builder.catalogs." + catalog + ".filter.packages." + pkg + ": '" + v + "' is not a semantic version")));
    }
}
