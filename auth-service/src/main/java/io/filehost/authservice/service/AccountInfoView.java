package io.filehost.authservice.service;

import java.time.Instant;

/** The account as /account/info shows it (behaviour.md §4). */
public record AccountInfoView(
        long id,
        String username,
        long levelId,
        String email,
        Instant lastLoginDate,
        String lastLoginIp,
        String status,
        String title,
        String firstname,
        String lastname,
        Integer languageId,
        Instant dateCreated,
        Instant lastPayment,
        Instant paidExpiryDate,
        Long storageLimitOverride) {
}
