package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import io.filehost.authservice.entity.Account;
import io.filehost.common.api.ApiException;
import io.filehost.common.internal.InternalClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import java.time.Instant;
import java.util.Optional;

/**
 * /internal/token-exchange (docs/internal-api.md): a fresh internal JWT for the account of an older one, so that a
 * check made after a long transfer (an upload's {@code folder_id} sent after the file part) never depends on a JWT
 * minted before the transfer began. Two proofs are needed: the calling service's key (only its SHA-256 is configured)
 * and an internal JWT this service signed for that account, at most {@code filehost.auth.jwt.exchange-max-age} old,
 * expired or not. The new JWT's claims are read again from the database, so an account disabled meanwhile is refused
 * and a changed package applies; the access token itself need not be live any more (it may idle out during a
 * transfer of hours, which the caller was authorised to start).
 */
@ApplicationScoped
public class TokenExchange {
    private static final Logger LOG = Logger.getLogger(TokenExchange.class);
    public static final String BAD_SERVICE_KEY = "Invalid service credential.";
    public static final String BAD_SUBJECT = "Invalid subject token.";
    public static final String ACCOUNT_NOT_ACTIVE = "The account is not active.";

    @Inject
    AuthConfig config;

    @Inject
    InternalJwtIssuer jwtIssuer;

    @Transactional
    public InternalJwtIssuer.SignedJwt exchange(String serviceKey, String subjectToken) {
        Optional<String> expected = ConfiguredKeys.expectedHash(config.serviceKeySha256());
        if (expected.isEmpty() || !ConfiguredKeys.matches(serviceKey, expected.get())) {
            LOG.warn("token exchange refused: missing or wrong service key");
            throw ApiException.unauthorized(BAD_SERVICE_KEY);
        }
        Instant now = Instant.now();
        JwtClaims subject = jwtIssuer.verifyIgnoringExpiry(subjectToken, config.jwt().exchangeMaxAge(), now)
                .orElseThrow(() -> {
                    LOG.warn("token exchange refused: the subject token is not a valid internal JWT of acceptable age");
                    return ApiException.unauthorized(BAD_SUBJECT);
                });
        long accountId;
        long tenantId;
        String tokenHash;
        try {
            accountId = Long.parseLong(subject.getSubject());
            tenantId = Long.parseLong(subject.getStringClaimValue(InternalClaims.TENANT_ID));
            tokenHash = subject.getStringClaimValue(InternalClaims.TOKEN_HASH);
            if (tokenHash == null) {
                throw ApiException.unauthorized(BAD_SUBJECT);
            }
        } catch (MalformedClaimException | NumberFormatException e) {
            throw ApiException.unauthorized(BAD_SUBJECT);
        }
        Account account = Account.findInTenant(accountId, tenantId).filter(Account::isActive).orElseThrow(() -> {
            LOG.infof("token exchange refused: account %d of tenant %d is gone or not active", accountId, tenantId);
            return ApiException.unauthorized(ACCOUNT_NOT_ACTIVE);
        });
        return jwtIssuer.sign(account, tokenHash, now);
    }
}
