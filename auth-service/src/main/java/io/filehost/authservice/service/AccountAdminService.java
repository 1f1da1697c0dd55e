package io.filehost.authservice.service;

import io.filehost.authservice.entity.Account;
import io.filehost.authservice.entity.AccountPackage;
import io.filehost.authservice.entity.AccountStatus;
import io.filehost.authservice.entity.ApiKey;
import io.filehost.authservice.entity.Tenant;
import io.filehost.common.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Operator actions on accounts: create (with a key pair), rotate keys, change status. */
@ApplicationScoped
public class AccountAdminService {
    private static final Logger LOG = Logger.getLogger(AccountAdminService.class);
    static final int KEY_LENGTH = 64;

    public record NewAccount(String tenant, String username, String packageName, String email, String title,
                             String firstname, String lastname) {
    }

    @Inject
    TokenService tokens;

    @Transactional
    public AccountCredentials create(NewAccount request) {
        Tenant tenant = Tenant.findByName(request.tenant() == null ? "" : request.tenant().trim())
                .orElseThrow(() -> AdminRequestException.badRequest("unknown tenant: " + request.tenant()));
        String username = text("username", request.username(), 255);
        if (username == null) {
            throw AdminRequestException.badRequest("username is required");
        }
        if (Account.usernameTaken(tenant, username)) {
            throw AdminRequestException.conflict("username " + username + " already exists in tenant " + tenant.name);
        }
        String packageName = request.packageName() == null ? "" : request.packageName().trim();
        AccountPackage accountPackage = AccountPackage.findByTenantAndName(tenant, packageName)
                .orElseThrow(() -> AdminRequestException.badRequest("unknown package in tenant " + tenant.name + ": "
                        + request.packageName()));
        String email = text("email", request.email(), 255);
        if (email != null && (!email.contains("@") || email.chars().anyMatch(Character::isWhitespace))) {
            throw AdminRequestException.badRequest("email is not an address: " + email);
        }

        Account account = new Account();
        account.tenant = tenant;
        account.username = username;
        account.accountPackage = accountPackage;
        account.email = email;
        account.status = AccountStatus.ACTIVE.dbValue();
        account.title = text("title", request.title(), 32);
        account.firstname = text("firstname", request.firstname(), 255);
        account.lastname = text("lastname", request.lastname(), 255);
        account.dateCreated = Instant.now();
        account.persistAndFlush();
        AccountCredentials credentials = newKeyPair(account, account.dateCreated);
        LOG.infof("admin: account %d (%s) created in tenant %s", account.id, username, tenant.name);
        return credentials;
    }

    /** A new key pair; the old pair stops working and every token issued with any pair is revoked. */
    @Transactional
    public AccountCredentials rotateKeys(long accountId) {
        Account account = lock(accountId);
        Instant now = Instant.now();
        ApiKey.revokeAllOf(account, now);
        tokens.revokeAll(account, now);
        AccountCredentials credentials = newKeyPair(account, now);
        LOG.infof("admin: keys of account %d rotated", account.id);
        return credentials;
    }

    /** Any status but active also revokes every token: the account must stop working now, not within the hour. */
    @Transactional
    public AccountSummary setStatus(long accountId, String status) {
        AccountStatus newStatus = AccountStatus.parse(status).orElseThrow(() -> AdminRequestException.badRequest(
                "status must be one of active, pending, suspended, disabled"));
        Account account = lock(accountId);
        account.status = newStatus.dbValue();
        if (newStatus != AccountStatus.ACTIVE) {
            tokens.revokeAll(account, Instant.now());
        }
        LOG.infof("admin: account %d is now %s", account.id, account.status);
        return summary(account);
    }

    private static Account lock(long accountId) {
        Account account = Account.findById(accountId, LockModeType.PESSIMISTIC_WRITE);
        if (account == null) {
            throw AdminRequestException.notFound("unknown account: " + accountId);
        }
        return account;
    }

    private static AccountCredentials newKeyPair(Account account, Instant now) {
        String key1;
        do {
            key1 = Secrets.randomAlphanumeric(KEY_LENGTH);
        } while (ApiKey.key1Exists(key1));
        String key2 = Secrets.randomAlphanumeric(KEY_LENGTH);
        ApiKey apiKey = new ApiKey();
        apiKey.account = account;
        apiKey.key1 = key1;
        apiKey.key2Sha256 = Secrets.sha256Hex(key2);
        apiKey.createdAt = now;
        apiKey.persist();
        return new AccountCredentials(account.id, account.tenant.name, account.username, account.accountPackage.name,
                key1, key2);
    }

    private static AccountSummary summary(Account account) {
        return new AccountSummary(account.id, account.tenant.name, account.username, account.accountPackage.name,
                account.status);
    }

    private static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() > maxLength || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw AdminRequestException.badRequest(field + " must be at most " + maxLength
                    + " characters without control characters");
        }
        return trimmed;
    }
}
