package io.filehost.authservice.service;

import io.filehost.common.security.Secrets;

import java.util.Locale;

/** The client address as stored and counted: bounded in length, one spelling per address. */
final class ClientAddresses {
    static final int MAX_LENGTH = 64;

    private ClientAddresses() {
    }

    static String normalise(String clientIp) {
        if (clientIp == null || clientIp.isBlank()) {
            return "unknown";
        }
        String ip = clientIp.trim().toLowerCase(Locale.ROOT);
        // The gateway sends a plain address; anything longer than any address is still counted, just not stored raw.
        return ip.length() <= MAX_LENGTH ? ip : Secrets.sha256Hex(ip);
    }
}
