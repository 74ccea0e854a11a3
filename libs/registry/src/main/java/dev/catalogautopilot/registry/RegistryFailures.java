package dev.catalogautopilot.registry;


/**
 * Tells registry failures worth another attempt (throttling, server errors, broken connections) from permanent
 * ones. The one rule for every reader and copier of registry content.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /**
     * Content that does not match its digest as this client verified it while streaming from the source. (A
     * registry answering 400 DIGEST_INVALID is another matter: it saw bytes we had verified, or raced with a
     * concurrent write of the same repository, and is worth another attempt.)
     */
    public static boolean isDigestMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException r && r.statusCode() == 0 && "DIGEST_INVALID".equals(r.errorCode())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether retrying cannot help: a verified digest mismatch, an invalid reference or manifest, a missing image,
     * or refused credentials. Throttling, server errors, broken connections and other registry refusals are retried
     * (a bounded number of times).
     */
    public static boolean isPermanent(Throwable e) {
        if (isDigestMismatch(e) || e instanceof IllegalArgumentException) {
            return true;
        }
        if (e instanceof RegistryException r) {
            int status = r.statusCode();
            return status == 401 || status == 403 || status == 404 || status == 405 || status == 413;
        }
        return false;
    }
}
