package dev.catalogautopilot.registry;

/**
 * A registry operation that failed: carries the HTTP status (0 when no response arrived) and the registry's
 * error code. Messages name the operation, the image and the registry, never credentials or tokens.
 */
public class RegistryException extends RuntimeException {

    private final int statusCode;
    private final String errorCode;

    public RegistryException(String message, int statusCode, String errorCode, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    public RegistryException(String message, int statusCode, String errorCode) {
        this(message, statusCode, errorCode, null);
    }

    /** The HTTP status, or 0 when the request failed without a response. */
    public int statusCode() {
        return statusCode;
    }

    /** The first error code of the registry's error body (e.g. {@code MANIFEST_UNKNOWN}), or null. */
    public String errorCode() {
        return errorCode;
    }

    /** Whether the registry answered 404. */
    public boolean isNotFound() {
        return statusCode == 404;
    }

    /** Whether the registry refused the credentials or the lack of them (401 or 403). */
    public boolean isUnauthorized() {
        return statusCode == 401 || statusCode == 403;
    }
}
