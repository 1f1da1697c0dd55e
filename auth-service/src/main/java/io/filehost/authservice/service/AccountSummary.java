package io.filehost.authservice.service;

public record AccountSummary(long accountId, String tenant, String username, String packageName, String status) {
}
