package io.filehost.authservice.service;

import io.filehost.authservice.entity.Account;
import io.filehost.authservice.entity.ApiKey;
import io.filehost.common.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/** /authorize: a key pair for an access token (behaviour.md §3). */
@ApplicationScoped
public class AuthorizationService {
    private static final Logger LOG = Logger.getLogger(AuthorizationService.class);
    /** Compared against when key1 is unknown, so an unknown key1 costs the same work as a wrong key2. */
    private static final String NO_SUCH_KEY = Secrets.sha256Hex("no such key");

    @Inject
    LoginLockoutService lockout;

    @Inject
    TokenService tokens;

    /**
     * A new access token, or empty for every kind of refusal (unknown or revoked pair, locked client, wrong tenant,
     * account not active): the client learns nothing about which. Returning rather than throwing keeps the recorded
     * failure in the committed transaction.
     *
     * @param key1     64 alphanumeric characters (checked by the caller)
     * @param key2     64 alphanumeric characters (checked by the caller)
     * @param tenantId the tenant the request came in for, or null if the gateway sent none
     */
    @Transactional
    public Optional<IssuedToken> authorize(Long tenantId, String key1, String key2, String clientIp) {
        Instant now = Instant.now();
        String ip = ClientAddresses.normalise(clientIp);
        String key1Hash = Secrets.sha256Hex(key1);
        if (lockout.isLocked(ip, key1Hash, now)) {
            LOG.debugf("authorize refused: client %s or its key1 is locked", ip);
            return Optional.empty();
        }

        Optional<ApiKey> apiKey = ApiKey.findLiveByKey1(key1);
        // Hash first, then compare in constant time: the comparison must not reveal how much of key2 was right.
        boolean keysMatch = Secrets.constantTimeEquals(Secrets.sha256Hex(key2),
                apiKey.map(k -> k.key2Sha256).orElse(NO_SUCH_KEY)) && apiKey.isPresent();
        if (!keysMatch) {
            lockout.recordFailure(ip, key1Hash, now);
            LOG.debugf("authorize refused: unknown key pair from %s", ip);
            return Optional.empty();
        }

        Account account = apiKey.get().account;
        if (tenantId == null || !account.tenant.id.equals(tenantId)) {
            LOG.debugf("authorize refused: account %d does not belong to tenant %s", account.id, tenantId);
            return Optional.empty();
        }
        // Lock and re-read the account: serialises this account's authorizations (token bound) and sees a status
        // change that committed after the read above.
        Account.getEntityManager().refresh(account, LockModeType.PESSIMISTIC_WRITE);
        if (!account.isActive()) {
            LOG.debugf("authorize refused: account %d is %s", account.id, account.status);
            return Optional.empty();
        }
        IssuedToken issued = tokens.issue(account, now);
        account.lastLoginDate = now;
        account.lastLoginIp = ip;
        return Optional.of(issued);
    }
}
