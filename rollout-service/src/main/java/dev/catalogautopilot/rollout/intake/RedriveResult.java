package dev.catalogautopilot.rollout.intake;

import dev.catalogautopilot.rollout.state.ActionResult;
import dev.catalogautopilot.rollout.state.Redrive;

/**
 * The answer to a re-drive request: RECORDED or REPEATED with the re-drive, NOT_FOUND or CONFLICT with a message.
 */
public record RedriveResult(ActionResult.Outcome outcome, Redrive redrive, String message) {

    static RedriveResult of(Redrive redrive) {
        return new RedriveResult(redrive.repeated() ? ActionResult.Outcome.REPEATED : ActionResult.Outcome.RECORDED,
                redrive, null);
    }

    static RedriveResult notFound(String message) {
        return new RedriveResult(ActionResult.Outcome.NOT_FOUND, null, message);
    }

    static RedriveResult conflict(String message) {
        return new RedriveResult(ActionResult.Outcome.CONFLICT, null, message);
    }
}
