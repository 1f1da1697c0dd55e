package io.filehost.gateway.auth;

/** A successful introspection: the internal JWT that stands for the access token, and whose it is. */
public record Grant(String accountId, String tenantId, String jwt, long expiresAtEpochSeconds, String tokenHash) {
}
