package io.filehost.authservice.service;

import io.filehost.authservice.entity.Account;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Optional;

/** The caller's own account and package (/account/info, /account/package). */
@ApplicationScoped
public class AccountService {

    @Transactional
    public Optional<AccountInfoView> info(long accountId, long tenantId) {
        return Account.findInTenant(accountId, tenantId).map(a -> new AccountInfoView(
                a.id, a.username, a.accountPackage.id, a.email, a.lastLoginDate, a.lastLoginIp, a.status, a.title,
                a.firstname, a.lastname, a.languageId, a.dateCreated, a.lastPayment, a.paidExpiryDate,
                a.storageLimitOverride));
    }

    @Transactional
    public Optional<PackageView> packageOf(long accountId, long tenantId) {
        return Account.findInTenant(accountId, tenantId).map(a -> PackageView.of(a.accountPackage));
    }
}
