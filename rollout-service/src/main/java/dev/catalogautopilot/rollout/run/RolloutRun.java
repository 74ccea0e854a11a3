package dev.catalogautopilot.rollout.run;

import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.rollout.mirrorset.MirrorSet;
import dev.catalogautopilot.rollout.state.RolloutSnapshot;
import dev.catalogautopilot.rollout.state.RolloutTarget;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What every cluster of one rollout shares, read and parsed once per rollout rather than once per cluster: the
 * target, its mirror set, and each wave's observation window.
 */
record RolloutRun(String rolloutId, String catalog, RolloutTarget target, Optional<MirrorSet> mirrorSet,
        Map<Integer, Duration> windows) {

    static RolloutRun of(RolloutSnapshot snapshot) {
        RolloutTarget target = EventJson.read(snapshot.rollout().target, RolloutTarget.class);
        String document = target.imageDigestMirrorSet() != null ? target.imageDigestMirrorSet()
                : target.imageContentSourcePolicy();
        Optional<MirrorSet> mirrorSet = document == null || document.isBlank() ? Optional.empty()
                : Optional.of(MirrorSet.parse(document));
        return new RolloutRun(snapshot.rollout().id, snapshot.rollout().catalog, target, mirrorSet,
                snapshot.waves().stream().collect(Collectors.toMap(w -> w.waveIndex, w -> w.deadline())));
    }

    Duration window(int wave) {
        return windows.get(wave);
    }
}
