package dev.catalogautopilot.outbox;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work from a worker thread (a scheduler, a job runner, a blocking REST method) and waits
 * for it: the work gets a fresh Vert.x duplicated context, as Hibernate Reactive requires.
 */
public final class ReactiveWork {

    private ReactiveWork() {
    }

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
