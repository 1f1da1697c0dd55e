package io.filehost.authservice.service;

/**
 * A refused admin request (bad input 400, unknown reference 404, conflict 409). The admin API speaks plain JSON
 * ({@code {"error": "..."}}), not the public API's envelope; rest.AdminExceptionMapper renders it.
 */
public class AdminRequestException extends RuntimeException {
    private final int status;

    public AdminRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static AdminRequestException badRequest(String message) {
        return new AdminRequestException(400, message);
    }

    public static AdminRequestException notFound(String message) {
        return new AdminRequestException(404, message);
    }

    public static AdminRequestException conflict(String message) {
        return new AdminRequestException(409, message);
    }
}
