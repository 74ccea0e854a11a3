package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.builder.config.BuilderConfig;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.registry.ImageReference;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The one upstream a catalog is built from, taken from the builder's configuration. A change event only says that
 * this upstream changed; one naming any other upstream is refused before anything is fetched, so the catalog's
 * credentials never go where an event points.
 *
 * @param source the configured upstream, as the builder reads it
 */
public record ConfiguredUpstream(UpstreamSource source) {

    /**
     * The upstream {@code builder.catalogs.<catalog>.upstream} names, or empty when it names none.
     *
     * @throws IllegalArgumentException when it is incomplete or names both kinds
     */
    public static Optional<ConfiguredUpstream> of(String catalog, Optional<BuilderConfig.Upstream> config) {
        if (config.isEmpty()) {
            return Optional.empty();
        }
        BuilderConfig.Upstream upstream = config.get();
        String key = "builder.catalogs." + catalog + ".upstream";
        boolean app = upstream.url().isPresent() || upstream.namespace().isPresent();
        if (app == upstream.indexImage().isPresent()) {
            throw new IllegalArgumentException(key + ": set url and namespace (App Registry) or index-image");
        }
        if (upstream.indexImage().isPresent()) {
            ImageReference image = ImageReference.parse(upstream.indexImage().get());
            return Optional.of(new ConfiguredUpstream(new UpstreamSource.IndexImage(image.toString())));
        }
        if (upstream.url().isEmpty() || upstream.namespace().isEmpty()) {
            throw new IllegalArgumentException(key + ": an App Registry upstream needs both url and namespace");
        }
        String url = upstream.url().get().strip().replaceAll("/+$", "");
        URI uri = URI.create(url);
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException(key + ".url: '" + url + "' is not an http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            // The URL is logged and named in failure events: credentials belong in app-registry-credentials.
            throw new IllegalArgumentException(key + ".url must not hold credentials; use the catalog's"
                    + " app-registry-credentials file");
        }
        return Optional.of(new ConfiguredUpstream(new UpstreamSource.AppRegistry(url, upstream.namespace().get())));
    }

    /** Why a change event naming {@code named} is refused, or empty when it names this upstream. */
    public Optional<String> refusal(String catalog, UpstreamSource named) {
        boolean same;
        if (source instanceof UpstreamSource.AppRegistry mine) {
            same = named instanceof UpstreamSource.AppRegistry other
                    && normalUrl(mine.baseUrl()).equals(normalUrl(other.baseUrl()))
                    && mine.namespace().equals(other.namespace());
        } else {
            same = named instanceof UpstreamSource.IndexImage other
                    && repository(((UpstreamSource.IndexImage) source).image()).equals(repository(other.image()));
        }
        return same ? Optional.empty() : Optional.of("the change event names upstream " + describe(named)
                + ", but catalog " + catalog + " is built only from " + describe(source)
                + " (builder.catalogs." + catalog + ".upstream); nothing was fetched");
    }

    /** Scheme and host compared without case, a default port and trailing slashes ignored. */
    static String normalUrl(String url) {
        try {
            URI uri = URI.create(url.strip());
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT)
                    + (defaultPort ? "" : ":" + port) + path
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return "invalid:" + url; // never equal to a configured, valid URL
        }
    }

    /** An index image's registry and repository: the digest the event names is what is read, whatever the tag. */
    private static String repository(String image) {
        try {
            ImageReference ref = ImageReference.parse(image);
            return ImageReference.canonicalRegistry(ref.registry()) + "/" + ref.repository();
        } catch (IllegalArgumentException e) {
            return "invalid:" + image;
        }
    }

    private static String describe(UpstreamSource source) {
        if (source == null) {
            return "none";
        }
        if (source instanceof UpstreamSource.AppRegistry app) {
            return "App Registry " + app.baseUrl() + " namespace " + app.namespace();
        }
        return "index image " + ((UpstreamSource.IndexImage) source).image();
    }
}
