package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import io.filehost.authservice.entity.LoginFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Brute-force protection of /authorize (behaviour.md §3): {@code threshold} failures from one client ip, or for one
 * key1, within {@code window} lock that ip / key1 for {@code duration}. A locked client is refused before its keys are
 * looked at, so even the right keys fail; attempts made while locked are not counted (the lock already holds, and
 * counting them would let a key1 be kept locked forever by someone who merely knows it).
 */
@ApplicationScoped
public class LoginLockoutService {
    private static final Logger LOG = Logger.getLogger(LoginLockoutService.class);
    static final String SCOPE_IP = "ip";
    static final String SCOPE_KEY1 = "key1";

    @Inject
    AuthConfig config;

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    boolean isLocked(String clientIp, String key1Sha256, Instant now) {
        Number locks = (Number) em.createNativeQuery("""
                        select count(*) from login_lockouts
                        where locked_until > ?1
                          and ((scope = 'ip' and subject = ?2) or (scope = 'key1' and subject = ?3))""")
                .setParameter(1, now)
                .setParameter(2, clientIp)
                .setParameter(3, key1Sha256)
                .getSingleResult();
        return locks.longValue() > 0;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void recordFailure(String clientIp, String key1Sha256, Instant now) {
        LoginFailure failure = new LoginFailure();
        failure.clientIp = clientIp;
        failure.key1Sha256 = key1Sha256;
        failure.failedAt = now;
        failure.persist();

        Instant since = now.minus(config.lockout().window());
        int threshold = Math.max(1, config.lockout().threshold());
        Instant until = now.plus(config.lockout().duration());
        if (LoginFailure.countByIpSince(clientIp, since) >= threshold) {
            lock(SCOPE_IP, clientIp, until);
            LOG.infof("authorize: client %s locked until %s after %d failures", clientIp, until, threshold);
        }
        if (LoginFailure.countByKey1Since(key1Sha256, since) >= threshold) {
            lock(SCOPE_KEY1, key1Sha256, until);
            LOG.infof("authorize: a key1 locked until %s after %d failures", until, threshold);
        }
    }

    private void lock(String scope, String subject, Instant until) {
        em.createNativeQuery("""
                        insert into login_lockouts (scope, subject, locked_until) values (?1, ?2, ?3)
                        on conflict (scope, subject)
                        do update set locked_until = greatest(login_lockouts.locked_until, excluded.locked_until)""")
                .setParameter(1, scope)
                .setParameter(2, subject)
                .setParameter(3, until)
                .executeUpdate();
    }
}
