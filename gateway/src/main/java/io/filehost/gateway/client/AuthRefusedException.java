package io.filehost.gateway.client;

/** auth-service refused the credentials (401); carries its envelope message when it sent one. */
public class AuthRefusedException extends RuntimeException {
    public AuthRefusedException(String message) {
        super(message, null, false, false);
    }
}
