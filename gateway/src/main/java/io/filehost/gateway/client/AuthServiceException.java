package io.filehost.gateway.client;

/** auth-service failed (5xx, unreadable answer): counted by the circuit breaker, answered 503 to the client. */
public class AuthServiceException extends RuntimeException {
    public AuthServiceException(String message) {
        super(message, null, false, false);
    }
}
