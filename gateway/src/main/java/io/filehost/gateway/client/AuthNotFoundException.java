package io.filehost.gateway.client;

/** auth-service answered 404 (for tenant resolution: no tenant serves that host). */
public class AuthNotFoundException extends RuntimeException {
    public AuthNotFoundException() {
        super("not found", null, false, false);
    }
}
