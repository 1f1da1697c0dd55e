package io.filehost.authservice.service;

/** A valid access token, exchanged for a signed internal JWT. */
public record Introspection(String jwt, long expiresAtEpochSeconds, long accountId, long tenantId, String tokenHash) {
}
