package dev.catalogautopilot.watcher.change;

import java.util.List;
import java.util.Set;

/** Decides which upstream packages a catalog watches: include list (if any), then exclude list. */
public record PackageFilter(Set<String> include, Set<String> exclude) {

    public static PackageFilter of(List<String> include, List<String> exclude) {
        return new PackageFilter(Set.copyOf(include), Set.copyOf(exclude));
    }

    public boolean accepts(String packageName) {
        return (include.isEmpty() || include.contains(packageName)) && !exclude.contains(packageName);
    }
}
