package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.registry.ImageReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Plans the mirroring of a built catalog as {@code oc adm catalog mirror} would: the catalog image plus every
 * image it references, each once, mapped by {@link TargetNaming}; references that do not parse or have no valid
 * target are rejected with a reason instead of silently dropped.
 */
public final class MirrorPlanner {

    private final TargetNaming naming;

    public MirrorPlanner(TargetNaming naming) {
        this.naming = naming;
    }

    public MirrorPlan plan(CatalogBuilt built) {
        Map<String, PlannedImage> images = new LinkedHashMap<>();
        List<RejectedReference> rejected = new ArrayList<>();
        PlannedImage catalog = planned(built.image(), true, rejected);
        if (catalog == null) {
            throw new IllegalArgumentException("catalog image " + built.image() + " cannot be mirrored: "
                    + rejected.get(rejected.size() - 1).reason());
        }
        images.put(catalog.source().toString(), catalog);
        for (String reference : built.referencedImages()) {
            PlannedImage image = planned(reference, false, rejected);
            if (image != null) {
                images.putIfAbsent(image.source().toString(), image);
            }
        }
        List<PlannedImage> sorted = images.values().stream()
                .sorted(Comparator.comparing(i -> i.source().toString())).toList();
        StringBuilder mapping = new StringBuilder();
        sorted.forEach(i -> mapping.append(i.mappingLine()).append('\n'));
        SortedMap<String, String> mirrors = MirrorSets.repositoryMirrors(sorted);
        return new MirrorPlan(sorted, rejected, mapping.toString(),
                MirrorSets.imageContentSourcePolicy(built.catalog(), mirrors),
                MirrorSets.imageDigestMirrorSet(built.catalog(), mirrors));
    }

    private PlannedImage planned(String reference, boolean catalogImage, List<RejectedReference> rejected) {
        try {
            ImageReference source = ImageReference.parse(reference.strip());
            return new PlannedImage(source, naming.targetOf(source), catalogImage);
        } catch (IllegalArgumentException e) {
            rejected.add(new RejectedReference(reference, e.getMessage()));
            return null;
        }
    }
}
