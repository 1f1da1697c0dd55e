package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

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
        Optional<String> expected = ConfiguredKeys.expectedHash(config.adminKeySha256());
        if (expected.isEmpty()) {
            return Decision.DISABLED;
        }
        return ConfiguredKeys.matches(presentedKey, expected.get()) ? Decision.ALLOWED : Decision.DENIED;
    }
}
