package io.filehost.folderservice.service;

/** The tenant and account every folder operation is scoped to, taken from the verified internal JWT. */
public record Owner(long tenantId, long accountId) {
}
