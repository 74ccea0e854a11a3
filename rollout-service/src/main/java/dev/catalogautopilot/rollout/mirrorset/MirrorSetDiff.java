package dev.catalogautopilot.rollout.mirrorset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a cluster needs a mirror set applied. Content is what the nodes act on: the entries compared
 * by source regardless of their order (mirrors of one source keep their order, which is the pull order) and the
 * desired labels; other metadata such as resourceVersion or annotations is ignored.
 */
public final class MirrorSetDiff {

    private MirrorSetDiff() {
    }

    public static MirrorSetChange compare(MirrorSet desired, Optional<MirrorSet> existing) {
        if (existing.isEmpty()) {
            return MirrorSetChange.CREATE;
        }
        MirrorSet current = existing.get();
        if (current.kind() != desired.kind()) {
            throw new IllegalArgumentException("comparing a " + desired.kind() + " with a " + current.kind());
        }
        boolean labelsPresent = desired.labels().entrySet().stream()
                .allMatch(label -> label.getValue().equals(current.labels().get(label.getKey())));
        return labelsPresent && bySource(desired).equals(bySource(current))
                ? MirrorSetChange.UNCHANGED : MirrorSetChange.UPDATE;
    }

    private record Target(List<String> mirrors, String policy) {
    }

    // Entries for one source written twice are one entry whose mirrors are joined, in order, without repeats.
    private static Map<String, Target> bySource(MirrorSet set) {
        Map<String, Target> result = new LinkedHashMap<>();
        for (MirrorEntry entry : set.entries()) {
            Target previous = result.get(entry.source());
            List<String> mirrors = new ArrayList<>(previous == null ? List.of() : previous.mirrors());
            entry.mirrors().stream().filter(m -> !mirrors.contains(m)).forEach(mirrors::add);
            String policy = previous == null ? entry.mirrorSourcePolicy()
                    : Objects.requireNonNullElse(entry.mirrorSourcePolicy(), previous.policy());
            result.put(entry.source(), new Target(List.copyOf(mirrors), policy));
        }
        return Map.copyOf(result);
    }
}
