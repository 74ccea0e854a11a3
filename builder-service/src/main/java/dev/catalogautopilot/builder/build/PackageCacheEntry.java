package dev.catalogautopilot.builder.build;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A parsed App Registry package, reused while its content digest is unchanged; either its converted FBC package
 * or the problem that kept it out. Losing the table costs one download per package.
 */
@Entity
@Table(name = "package_cache")
public class PackageCacheEntry extends PanacheEntityBase {

    /** {@code <App Registry base URL>/<namespace>|<package>}. */
    @Id
    public String id;

    public String digest;

    /** The {@code CatalogPackage} as JSON; null when {@link #problem} is set. */
    public String content;

    public String problem;

    /** The {@link PackageStage} as JSON, once a build computed it; null for a problem or an older entry. */
    public String stage;

    @Column(name = "problem_kind")
    public String problemKind;

    @Column(name = "cached_at")
    public Instant cachedAt;

    public static String key(String source, String packageName) {
        return source + "|" + packageName;
    }
}
