package dev.catalogautopilot.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A fully qualified image reference: registry host, repository path, and a tag and/or a digest.
 * Parsing follows the docker reference grammar, including Docker Hub's short forms
 * ({@code busybox} is {@code docker.io/library/busybox:latest}).
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    /** The canonical host name of Docker Hub. */
    public static final String DOCKER_HUB = "docker.io";

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final int MAX_NAME_LENGTH = 255;

    /** Validates every part; at least one of tag and digest must be present. */
    public ImageReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (!REGISTRY.matcher(registry).matches()) {
            throw new IllegalArgumentException("Invalid registry host '" + registry + "'");
        }
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("Invalid repository '" + repository
                    + "': path components must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
        }
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Repository name longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("Invalid tag '" + tag
                    + "': expected up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("Image reference needs a tag or a digest");
        }
    }

    /**
     * Parses {@code [registry/]repository[:tag][@sha256:…]}. Without a registry the image is on Docker Hub;
     * without tag and digest the tag is {@code latest}.
     */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("Image reference is empty");
        }
        if (!reference.equals(reference.strip())) {
            throw new IllegalArgumentException("Image reference '" + reference + "' has surrounding whitespace");
        }
        String name = reference;
        Digest digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            String digestPart = name.substring(at + 1);
            try {
                digest = Digest.parse(digestPart);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid image reference '" + reference + "': " + e.getMessage(), e);
            }
            name = name.substring(0, at);
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String repository = name;
        int slash = name.indexOf('/');
        if (slash > 0 && looksLikeRegistry(name.substring(0, slash))) {
            registry = name.substring(0, slash);
            repository = name.substring(slash + 1);
        }
        registry = canonicalRegistry(registry);
        if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) {
            repository = "library/" + repository;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        if (!repository.equals(repository.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Invalid image reference '" + reference + "': repository name must be lowercase");
        }
        try {
            return new ImageReference(registry, repository, tag, digest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid image reference '" + reference + "': " + e.getMessage(), e);
        }
    }

    /** A reference to {@code registry/repository:tag}. */
    public static ImageReference of(String registry, String repository, String tag) {
        return new ImageReference(canonicalRegistry(registry), repository, tag, null);
    }

    /** A reference to {@code registry/repository@digest}. */
    public static ImageReference of(String registry, String repository, Digest digest) {
        return new ImageReference(canonicalRegistry(registry), repository, null, digest);
    }

    /** Maps Docker Hub's aliases ({@code index.docker.io}, {@code registry-1.docker.io}) to {@code docker.io}. */
    public static String canonicalRegistry(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
            default -> registry;
        };
    }

    private static boolean looksLikeRegistry(String firstComponent) {
        return firstComponent.contains(".") || firstComponent.contains(":") || firstComponent.equals("localhost")
                || !firstComponent.equals(firstComponent.toLowerCase(Locale.ROOT));
    }

    /** The same image pinned to {@code digest}; the tag is kept. */
    public ImageReference withDigest(Digest digest) {
        return new ImageReference(registry, repository, tag, Objects.requireNonNull(digest, "digest"));
    }

    /** The same repository with {@code tag} and no digest. */
    public ImageReference withTag(String tag) {
        return new ImageReference(registry, repository, Objects.requireNonNull(tag, "tag"), null);
    }

    /** Only the digest, dropping the tag; requires a digest. */
    public ImageReference withoutTag() {
        if (digest == null) {
            throw new IllegalStateException("Reference " + this + " has no digest");
        }
        return new ImageReference(registry, repository, null, digest);
    }

    /** The same repository path, tag and digest on another registry. */
    public ImageReference withRegistry(String registry) {
        return new ImageReference(canonicalRegistry(registry), repository, tag, digest);
    }

    /** Another repository on the same registry, keeping tag and digest. */
    public ImageReference withRepository(String repository) {
        return new ImageReference(registry, repository, tag, digest);
    }

    /** What addresses the manifest in {@code /v2/<repository>/manifests/<reference>}: the digest if any, else the tag. */
    public String reference() {
        return digest != null ? digest.value() : tag;
    }

    /** The repository this image lives in. */
    public RepositoryRef repositoryRef() {
        return new RepositoryRef(registry, repository);
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** Canonical form {@code registry/repository[:tag][@digest]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name());
        if (tag != null) {
            out.append(':').append(tag);
        }
        if (digest != null) {
            out.append('@').append(digest.value());
        }
        return out.toString();
    }
}
