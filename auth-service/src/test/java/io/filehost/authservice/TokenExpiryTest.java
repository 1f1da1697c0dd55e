package io.filehost.authservice;

import io.filehost.authservice.entity.AccessToken;
import io.filehost.authservice.entity.LoginFailure;
import io.filehost.authservice.service.MaintenanceService;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.security.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.assertError;
import static io.filehost.authservice.Fixtures.authorizeRaw;
import static io.filehost.authservice.Fixtures.introspectRaw;
import static io.filehost.authservice.Fixtures.tenant;
import static io.filehost.authservice.Fixtures.uniqueIp;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Idle expiry with a 3 s idle timeout (the default is 1 h). */
@QuarkusTest
@TestProfile(ShortIdleTokensProfile.class)
class TokenExpiryTest {
    private static final long IDLE_MILLIS = 3000;

    @Inject
    MaintenanceService maintenance;

    @Test
    void aNeverUsedTokenExpiresAfterTheIdleTime() throws InterruptedException {
        Fixtures.AccountRef account = account(tenant(), "free");
        String unused = Fixtures.authorize(account);
        String used = Fixtures.authorize(account);
        Fixtures.jwt(account, used); // valid right away
        Thread.sleep(IDLE_MILLIS + 1000);
        assertError(introspectRaw(account.tenantId(), unused, account.accountId()), 401, ApiMessages.INVALID_TOKEN);
        assertError(introspectRaw(account.tenantId(), used, account.accountId()), 401, ApiMessages.INVALID_TOKEN);
    }

    @Test
    void useSlidesTheExpiry() throws InterruptedException {
        Fixtures.AccountRef account = account(tenant(), "free");
        String token = Fixtures.authorize(account);
        long issued = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            Thread.sleep(IDLE_MILLIS * 2 / 3);
            Fixtures.jwt(account, token);
        }
        long alive = Duration.ofNanos(System.nanoTime() - issued).toMillis();
        // it outlived its first idle period only because it was used
        assertEquals(true, alive > IDLE_MILLIS, "alive for " + alive + " ms");
        Thread.sleep(IDLE_MILLIS + 1000);
        assertError(introspectRaw(account.tenantId(), token, account.accountId()), 401, ApiMessages.INVALID_TOKEN);
    }

    @Test
    void cleanupRemovesExpiredTokensAndOldFailures() throws InterruptedException {
        Fixtures.AccountRef account = account(tenant(), "free");
        for (int i = 0; i < 3; i++) {
            Fixtures.authorize(account);
        }
        String ip = uniqueIp();
        authorizeRaw(account.tenantId(), account.key1(), Secrets.randomAlphanumeric(64), ip).then().statusCode(401);
        long accountId = Long.parseLong(account.accountId());
        assertEquals(3, tokensOf(accountId));
        assertEquals(1, failuresFrom(ip));

        maintenance.purge(Instant.now());
        assertEquals(3, tokensOf(accountId), "live tokens stay");
        assertEquals(1, failuresFrom(ip), "failures inside the window stay");

        Thread.sleep(IDLE_MILLIS + 500);
        maintenance.purge(Instant.now());
        assertEquals(0, tokensOf(accountId));
        maintenance.purge(Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(1));
        assertEquals(0, failuresFrom(ip));
    }

    private static long tokensOf(long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> AccessToken.count("account.id", accountId));
    }

    private static long failuresFrom(String ip) {
        return QuarkusTransaction.requiringNew().call(() -> LoginFailure.count("clientIp", ip));
    }
}
