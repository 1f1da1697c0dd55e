package io.filehost.common.api;

/**
 * A client-caused error. It carries the strict HTTP status (400/401/404/413/429); services always answer with it and
 * the gateway turns it into 200 for tenants in the upstream-compatible mode (behaviour.md §2), so the choice is made
 * in exactly one place. No stack trace: these are expected outcomes, not faults.
 */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException missingParam(String name) {
        return new ApiException(400, ApiMessages.missingParam(name));
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(429, message);
    }
}
