package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.authservice.service.TokenExchange;
import io.filehost.common.internal.InternalClaims;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.admin;
import static io.filehost.authservice.Fixtures.assertError;
import static io.filehost.authservice.Fixtures.callWithJwt;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /internal/token-exchange: file-service trades the expired internal JWT of a long upload for a fresh
 * one. Test profile: JWTs live 2 seconds; the test service key is the one whose hash %test configures.
 */
@QuarkusTest
@TestProfile(ShortJwtProfile.class)
class TokenExchangeTest {
    static final String SERVICE_KEY = "test-service-key-not-a-secret";

    private static Response exchange(String serviceKey, String subjectToken) {
        RequestSpecification request = given().contentType(Fixtures.FORM);
        if (serviceKey != null) {
            request.header(InternalHeaders.SERVICE_KEY, serviceKey);
        }
        if (subjectToken != null) {
            request.formParam("subject_token", subjectToken);
        }
        return request.post("/internal/token-exchange");
    }

    private static String expiredJwtOf(Fixtures.AccountRef account) {
        String jwt = Fixtures.jwt(account, Fixtures.authorize(account));
        // Polls until the service itself refuses it (lifetime 2 s, clock skew 1 s in the profile).
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (callWithJwt("/api/v2/account/info", jwt, null).statusCode() != 401) {
            assertTrue(System.nanoTime() < deadline, "the 2-second JWT was never refused");
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return jwt;
    }

    private static JsonNode claims(String jwt) {
        try {
            return Fixtures.JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                    StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anExpiredJwtIsExchangedForAFreshOneWithTheSameIdentity() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String expired = expiredJwtOf(account);

        Response response = exchange(SERVICE_KEY, expired);
        assertEquals(200, response.statusCode(), response.asString());
        String fresh = json(response).get("jwt").asText();
        assertTrue(json(response).get("expiresAt").asLong() > Instant.now().getEpochSecond());
        // The fresh one is accepted where the old one no longer is, and stands for the same account and token.
        assertEquals(200, callWithJwt("/api/v2/account/info", fresh, null).statusCode());
        JsonNode before = claims(expired);
        JsonNode after = claims(fresh);
        for (String claim : new String[]{"sub", InternalClaims.TENANT_ID, InternalClaims.TOKEN_HASH,
                InternalClaims.PACKAGE}) {
            assertEquals(before.get(claim), after.get(claim), claim);
        }
    }

    @Test
    void aMissingOrWrongServiceKeyIsRefused() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String jwt = Fixtures.jwt(account, Fixtures.authorize(account));
        assertError(exchange(null, jwt), 401, TokenExchange.BAD_SERVICE_KEY);
        assertError(exchange("", jwt), 401, TokenExchange.BAD_SERVICE_KEY);
        assertError(exchange(SERVICE_KEY + "x", jwt), 401, TokenExchange.BAD_SERVICE_KEY);
        // The admin key is another credential, not a service key.
        assertError(exchange(Fixtures.ADMIN_KEY, jwt), 401, TokenExchange.BAD_SERVICE_KEY);
    }

    @Test
    void aDisabledAccountGetsNoFreshJwt() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String jwt = Fixtures.jwt(account, Fixtures.authorize(account));
        admin().body(Map.of("status", "disabled")).post("/admin/accounts/" + account.accountId() + "/status")
                .then().statusCode(200);
        assertError(exchange(SERVICE_KEY, jwt), 401, TokenExchange.ACCOUNT_NOT_ACTIVE);
    }

    @Test
    void onlyAnInternalJwtOfThisServiceAndOfBoundedAgeIsASubject() {
        Fixtures.AccountRef account = account(tenant(), "free");
        assertError(exchange(SERVICE_KEY, null), 401, TokenExchange.BAD_SUBJECT);
        assertError(exchange(SERVICE_KEY, "not.a.jwt"), 401, TokenExchange.BAD_SUBJECT);
        long now = Instant.now().getEpochSecond();
        // Older than filehost.auth.jwt.exchange-max-age (24 h): a transfer that long gets no fresh JWT.
        String tooOld = subject(account).issuedAt(now - Duration.ofHours(25).toSeconds())
                .expiresAt(now - Duration.ofHours(25).toSeconds() + 300).sign(TestJwt.PRIVATE_KEY);
        assertError(exchange(SERVICE_KEY, tooOld), 401, TokenExchange.BAD_SUBJECT);
        // Another issuer, signed with the same key: not an internal JWT.
        String foreign = Jwt.issuer("someone-else").audience(InternalClaims.AUDIENCE).subject(account.accountId())
                .claim(InternalClaims.TENANT_ID, account.tenantId()).claim(InternalClaims.TOKEN_HASH, "x")
                .issuedAt(now).expiresAt(now + 60).jws().sign(TestJwt.PRIVATE_KEY);
        assertError(exchange(SERVICE_KEY, foreign), 401, TokenExchange.BAD_SUBJECT);
        // Within the age bound the same construction is accepted: the refusals above are about age and issuer.
        String recent = subject(account).issuedAt(now - 3600).expiresAt(now - 3300).sign(TestJwt.PRIVATE_KEY);
        assertEquals(200, exchange(SERVICE_KEY, recent).statusCode());
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder subject(Fixtures.AccountRef account) {
        return Jwt.issuer(InternalClaims.ISSUER).audience(InternalClaims.AUDIENCE).subject(account.accountId())
                .claim(InternalClaims.TENANT_ID, account.tenantId()).claim(InternalClaims.TOKEN_HASH, "x");
    }
}
