package io.filehost.authservice.service;

/** A freshly issued key pair. key2 exists in clear only in this object, on its way to the operator. */
public record AccountCredentials(long accountId, String tenant, String username, String packageName,
                                 String key1, String key2) {
}
