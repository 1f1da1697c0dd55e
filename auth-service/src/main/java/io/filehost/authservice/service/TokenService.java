package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import io.filehost.authservice.entity.AccessToken;
import io.filehost.authservice.entity.Account;
import io.filehost.common.events.TokenRevoked;
import io.filehost.common.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Access tokens: issue (bounded per account), introspect (sliding idle expiry, exchanged for an internal JWT), and
 * revoke. Every revocation fires a {@link TokenRevoked} CDI event; messaging.TokenRevocationPublisher sends it to
 * Kafka once the transaction has committed, so gateways never evict for a change that was rolled back.
 */
@ApplicationScoped
public class TokenService {
    private static final Logger LOG = Logger.getLogger(TokenService.class);
    static final int TOKEN_LENGTH = 128;

    @Inject
    AuthConfig config;

    @Inject
    InternalJwtIssuer jwtIssuer;

    @Inject
    Event<TokenRevoked> revocations;

    /**
     * A new token for an account whose keys were just verified. The caller has locked the account row, so concurrent
     * authorizations of one account cannot both see room under the bound.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    IssuedToken issue(Account account, Instant now) {
        AccessToken.deleteExpiredOf(account, now);

        String accessToken = Secrets.randomAlphanumeric(TOKEN_LENGTH);
        AccessToken token = new AccessToken();
        token.tokenSha256 = Secrets.sha256Hex(accessToken);
        token.account = account;
        token.tenantId = account.tenant.id;
        token.createdAt = now;
        token.lastUsedAt = now;
        token.expiresAt = now.plus(config.tokens().idleTimeout());
        token.persist();

        List<AccessToken> live = AccessToken.liveOf(account, now);
        int excess = live.size() - Math.max(1, config.tokens().maxPerAccount());
        for (int i = 0; i < excess; i++) {
            AccessToken oldest = live.get(i);
            oldest.delete();
            revocations.fire(new TokenRevoked(oldest.tokenSha256, Long.toString(account.id),
                    Long.toString(account.tenant.id), now.toEpochMilli()));
        }
        if (excess > 0) {
            LOG.debugf("account %s reached %s live tokens; dropped the %s oldest", account.id,
                    (Object) config.tokens().maxPerAccount(), (Object) excess);
        }
        return new IssuedToken(accessToken, account.id);
    }

    /**
     * The token's JWT, if the token exists, is not expired, belongs to this account and tenant, and the account is
     * active. A success counts as a use: the idle expiry slides.
     */
    @Transactional
    public Optional<Introspection> introspect(String accessToken, Long accountId, Long tenantId) {
        if (accessToken == null || accessToken.length() > 1024 || accountId == null || tenantId == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        String tokenHash = Secrets.sha256Hex(accessToken);
        Optional<AccessToken> found = AccessToken.findByHash(tokenHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AccessToken token = found.get();
        Account account = token.account;
        if (account.id != accountId.longValue() || token.tenantId != tenantId.longValue()
                || !token.expiresAt.isAfter(now) || !account.isActive()) {
            return Optional.empty();
        }
        if (Duration.between(token.lastUsedAt, now).compareTo(touchGranularity()) >= 0) {
            token.lastUsedAt = now;
            token.expiresAt = now.plus(config.tokens().idleTimeout());
        }
        InternalJwtIssuer.SignedJwt jwt = jwtIssuer.sign(account, tokenHash, now);
        return Optional.of(new Introspection(jwt.token(), jwt.expiresAtEpochSeconds(), account.id, token.tenantId,
                tokenHash));
    }

    /**
     * Recording every use would cost a write per request; recording it at most once per granularity costs at most that
     * much of the idle time. The cap keeps that loss at a tenth of the idle time whatever the two settings are.
     */
    Duration touchGranularity() {
        Duration configured = config.tokens().touchGranularity();
        Duration cap = config.tokens().idleTimeout().dividedBy(10);
        return configured.compareTo(cap) < 0 ? configured : cap;
    }

    /**
     * /disable_access_token: removes the caller's token. The event is fired even when the row is already gone
     * (expired, or disabled concurrently): a gateway may still hold it in its cache, and evicting twice is harmless.
     */
    @Transactional
    public void disable(String tokenHash, long accountId, long tenantId) {
        AccessToken.deleteByHash(tokenHash, accountId, tenantId);
        revocations.fire(new TokenRevoked(tokenHash, Long.toString(accountId), Long.toString(tenantId),
                Instant.now().toEpochMilli()));
    }

    /** Every token of the account (keys rotated, account no longer active): one event with a null hash. */
    @Transactional(Transactional.TxType.MANDATORY)
    void revokeAll(Account account, Instant now) {
        AccessToken.deleteAllOf(account);
        revocations.fire(new TokenRevoked(null, Long.toString(account.id), Long.toString(account.tenant.id),
                now.toEpochMilli()));
    }
}
