package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * An operator acted on a rollout; recorded for the audit log.
 *
 * @param catalog   catalog name
 * @param rolloutId the rollout
 * @param action    what was asked
 * @param actor     who asked (user name or service account), never a credential
 * @param wave      the wave the action applies to, null when it applies to the whole rollout
 * @param reason    why, as the operator gave it; null when none was given
 */
public record RolloutActionRecorded(String catalog, String rolloutId, RolloutAction action, String actor, Integer wave,
        String reason) implements RolloutEvent {

    public static final EventType<RolloutActionRecorded> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.action.recorded.v1", RolloutActionRecorded.class, Topics.ROLLOUT_EVENTS);

    public RolloutActionRecorded {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
    }

    /** An action without a reason. */
    public RolloutActionRecorded(String catalog, String rolloutId, RolloutAction action, String actor, Integer wave) {
        this(catalog, rolloutId, action, actor, wave, null);
    }
}
