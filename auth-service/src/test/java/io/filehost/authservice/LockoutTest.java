package io.filehost.authservice;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.security.Secrets;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.assertError;
import static io.filehost.authservice.Fixtures.authorizeRaw;
import static io.filehost.authservice.Fixtures.tenant;
import static io.filehost.authservice.Fixtures.uniqueIp;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test profile: 3 failures within 10 minutes lock for 6 seconds. */
@QuarkusTest
class LockoutTest {

    private static int threshold() {
        return ConfigProvider.getConfig().getValue("filehost.auth.lockout.threshold", Integer.class);
    }

    private static Duration lockDuration() {
        return ConfigProvider.getConfig().getValue("filehost.auth.lockout.duration", Duration.class);
    }

    @Test
    void tooManyFailuresFromOneAddressLockIt() {
        assertEquals(3, threshold(), "test profile");
        Fixtures.AccountRef account = account(tenant(), "free");
        String attacker = uniqueIp();
        for (int i = 0; i < threshold(); i++) {
            assertError(authorizeRaw(account.tenantId(), Secrets.randomAlphanumeric(64), Secrets.randomAlphanumeric(64),
                    attacker), 401, ApiMessages.AUTH_FAILED);
        }
        // locked: even the right keys are refused from that address ...
        assertError(authorizeRaw(account.tenantId(), account.key1(), account.key2(), attacker), 401,
                ApiMessages.AUTH_FAILED);
        // ... but not from another one (the account's key1 was never tried)
        Fixtures.authorize(account, uniqueIp());
    }

    @Test
    void tooManyFailuresForOneKey1LockIt() throws InterruptedException {
        Fixtures.AccountRef account = account(tenant(), "free");
        for (int i = 0; i < threshold(); i++) {
            // a distributed attempt: every failure from another address
            assertError(authorizeRaw(account.tenantId(), account.key1(), Secrets.randomAlphanumeric(64), uniqueIp()),
                    401, ApiMessages.AUTH_FAILED);
        }
        long lockedAt = System.nanoTime();
        String owner = uniqueIp();
        assertError(authorizeRaw(account.tenantId(), account.key1(), account.key2(), owner), 401,
                ApiMessages.AUTH_FAILED);
        // another account is not affected
        Fixtures.AccountRef other = account(tenant(), "free");
        Fixtures.authorize(other, uniqueIp());

        // "locked for a while": the lock lapses
        long remaining = lockDuration().toMillis() - Duration.ofNanos(System.nanoTime() - lockedAt).toMillis();
        Thread.sleep(Math.max(0, remaining) + 1500);
        Fixtures.authorize(account, owner);
    }

    @Test
    void failuresBelowTheThresholdDoNotLock() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String ip = uniqueIp();
        for (int i = 0; i < threshold() - 1; i++) {
            assertError(authorizeRaw(account.tenantId(), account.key1(), Secrets.randomAlphanumeric(64), ip), 401,
                    ApiMessages.AUTH_FAILED);
        }
        Fixtures.authorize(account, ip);
    }
}
