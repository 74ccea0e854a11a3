package dev.catalogautopilot.registry;

import java.util.Objects;

/** A repository on a registry, e.g. {@code quay.io/strimzi/operator}: what blob operations address. */
public record RepositoryRef(String registry, String repository) {

    /** Validates both parts with the image reference grammar. */
    public RepositoryRef {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        new ImageReference(registry, repository, "latest", null);
    }

    /** Parses {@code [registry/]repository} with Docker Hub's short forms; a tag or digest is rejected. */
    public static RepositoryRef parse(String name) {
        if (name != null && (name.indexOf('@') >= 0 || name.lastIndexOf(':') > name.lastIndexOf('/'))) {
            throw new IllegalArgumentException("Repository name '" + name + "' must not carry a tag or digest");
        }
        return ImageReference.parse(name).repositoryRef();
    }

    /** A repository on the same registry. */
    public static RepositoryRef of(String registry, String repository) {
        return new RepositoryRef(ImageReference.canonicalRegistry(registry), repository);
    }

    /** The image {@code registry/repository:tag}. */
    public ImageReference tag(String tag) {
        return ImageReference.of(registry, repository, tag);
    }

    /** The image {@code registry/repository@digest}. */
    public ImageReference digest(Digest digest) {
        return ImageReference.of(registry, repository, digest);
    }

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}
