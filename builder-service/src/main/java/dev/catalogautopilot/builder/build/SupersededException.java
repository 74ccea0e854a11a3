package dev.catalogautopilot.builder.build;

/** A newer change of the same catalog is waiting: the build in progress stops before pushing. */
public class SupersededException extends RuntimeException {

    public SupersededException(String message) {
        super(message);
    }
}
