package io.filehost.common.testing;

import io.filehost.common.internal.InternalClaims;
import io.filehost.common.internal.PackageLimits;
import io.smallrye.jwt.build.Jwt;

import java.time.Duration;

/**
 * Mints internal JWTs signed with the test-only key pair (test-jwt/ in this test-jar), so a service's
 * {@code @QuarkusTest} can call it as the gateway would, with
 * {@code %test.mp.jwt.verify.publickey.location=test-jwt/publicKey.pem}.
 */
public final class TestJwt {
    public static final String PRIVATE_KEY = "test-jwt/privateKey.pem";

    private TestJwt() {
    }

    public static PackageLimits unlimited() {
        return new PackageLimits(1, true, 0, 0, null, 0, 0, 0, 0, 0, 0, 0, 10);
    }

    public static String forAccount(long accountId, long tenantId) {
        return forAccount(accountId, tenantId, unlimited(), Duration.ofMinutes(5));
    }

    public static String forAccount(long accountId, long tenantId, PackageLimits limits, Duration lifetime) {
        return Jwt.issuer(InternalClaims.ISSUER)
                .audience(InternalClaims.AUDIENCE)
                .subject(Long.toString(accountId))
                .claim(InternalClaims.TENANT_ID, Long.toString(tenantId))
                .claim(InternalClaims.USERNAME, "test" + accountId)
                .claim(InternalClaims.TOKEN_HASH, "test-token-hash-" + accountId)
                .claim(InternalClaims.PACKAGE, limits.toClaim())
                .expiresIn(lifetime)
                .jws()
                .keyId("test")
                .sign(PRIVATE_KEY);
    }
}
