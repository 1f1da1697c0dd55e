package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import io.filehost.common.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Who may use the admin API: the holder of the key whose SHA-256 is {@code filehost.auth.admin-key-sha256}. Only the
 * hash is configured, and hashes are compared in constant time.
 */
@ApplicationScoped
public class AdminAccess {
    public enum Decision { DISABLED, DENIED, ALLOWED }

    @Inject
    AuthConfig config;

    public Decision check(String presentedKey) {
        String expected = config.adminKeySha256().map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (expected.isEmpty()) {
            return Decision.DISABLED;
        }
        if (presentedKey == null || !Secrets.constantTimeEquals(Secrets.sha256Hex(presentedKey), expected)) {
            return Decision.DENIED;
        }
        return Decision.ALLOWED;
    }
}
