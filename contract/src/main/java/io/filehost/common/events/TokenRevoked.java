package io.filehost.common.events;

/**
 * Published by auth-service on {@link Topics#TOKEN_REVOKED} when an access token stops being valid before its expiry.
 * Carries the token's SHA-256, never the token. {@code tokenHash == null} means every token of the account (account
 * locked, keys rotated).
 */
public record TokenRevoked(String tokenHash, String accountId, String tenantId, long revokedAtEpochMillis) {
}
