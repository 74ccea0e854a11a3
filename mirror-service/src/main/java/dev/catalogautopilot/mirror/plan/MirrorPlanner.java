package dev.catalogautopilot.mirror.plan;

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

    /**
     * @param catalog      catalog name
     * @param catalogImage the built catalog image, by digest
     * @param referenced   every image it references
     */
    public MirrorPlan plan(String catalog, String catalogImage, List<String> referenced) {
        Map<String, PlannedImage> images = new LinkedHashMap<>();
        List<RejectedReference> rejected = new ArrayList<>();
        PlannedImage catalogEntry = planned(catalogImage, true, rejected);
        if (catalogEntry == null) {
            throw new IllegalArgumentException("catalog image " + catalogImage + " cannot be mirrored: "
                    + rejected.get(rejected.size() - 1).reason());
        }
        images.put(catalogEntry.source().toString(), catalogEntry);
        for (String reference : referenced) {
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
                MirrorSets.imageContentSourcePolicy(catalog, mirrors),
                MirrorSets.imageDigestMirrorSet(catalog, mirrors));
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
