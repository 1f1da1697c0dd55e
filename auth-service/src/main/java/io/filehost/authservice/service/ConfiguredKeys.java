package io.filehost.authservice.service;

import io.filehost.common.security.Secrets;

import java.util.Locale;
import java.util.Optional;

/**
 * Keys of which only the SHA-256 is configured (the admin key, the service key), so the configuration never holds a
 * key itself. Hashes are compared in constant time.
 */
final class ConfiguredKeys {
    private ConfiguredKeys() {
    }

    /** The configured hash, normalised; empty when none is configured. */
    static Optional<String> expectedHash(Optional<String> configured) {
        return configured.map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
    }

    static boolean matches(String presentedKey, String expectedHash) {
        return presentedKey != null && Secrets.constantTimeEquals(Secrets.sha256Hex(presentedKey), expectedHash);
    }
}
