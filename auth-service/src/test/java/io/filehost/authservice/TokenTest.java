package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.security.Secrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.assertError;
import static io.filehost.authservice.Fixtures.callWithJwt;
import static io.filehost.authservice.Fixtures.introspectRaw;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.keys;
import static io.filehost.authservice.Fixtures.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test profile: at most 3 live tokens per account. */
@QuarkusTest
class TokenTest {

    @Test
    void introspectionAnswersTheDocumentedShape() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String token = Fixtures.authorize(account);
        Response response = introspectRaw(account.tenantId(), token, account.accountId());
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode body = json(response);
        assertEquals(List.of("jwt", "expiresAt", "accountId", "tenantId", "tokenHash"), keys(body));
        assertEquals(account.accountId(), body.get("accountId").asText());
        assertEquals(account.tenantId(), body.get("tenantId").asText());
        assertTrue(body.get("accountId").isTextual());
        assertEquals(Secrets.sha256Hex(token), body.get("tokenHash").asText());
        long expiresIn = body.get("expiresAt").asLong() - Instant.now().getEpochSecond();
        assertTrue(expiresIn > 280 && expiresIn <= 301, "JWT lifetime 5 minutes, was " + expiresIn);
        assertEquals(3, body.get("jwt").asText().split("\\.").length);
    }

    @Test
    void severalTokensLiveSideBySideUpToTheBound() {
        Fixtures.AccountRef account = account(tenant(), "free");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tokens.add(Fixtures.authorize(account));
        }
        assertEquals(3, tokens.stream().distinct().count());
        for (String token : tokens) {
            Fixtures.jwt(account, token);
        }

        try (RevocationEvents events = RevocationEvents.fromNow()) {
            String fourth = Fixtures.authorize(account);
            // the oldest is dropped, and the gateways are told
            RevocationEvents.Event dropped = events.awaitTokenHash(Secrets.sha256Hex(tokens.get(0)));
            assertEquals(account.accountId(), dropped.key());
            assertEquals(account.accountId(), dropped.value().get("accountId").asText());
            assertError(introspectRaw(account.tenantId(), tokens.get(0), account.accountId()), 401,
                    ApiMessages.INVALID_TOKEN);
            Fixtures.jwt(account, tokens.get(1));
            Fixtures.jwt(account, tokens.get(2));
            Fixtures.jwt(account, fourth);
        }
    }

    @Test
    void aTokenOnlyValidatesWithItsOwnAccountAndTenant() {
        Fixtures.TenantRef tenant = tenant();
        Fixtures.AccountRef alice = account(tenant, "free");
        Fixtures.AccountRef bob = account(tenant, "free");
        String aliceToken = Fixtures.authorize(alice);
        Fixtures.authorize(bob);

        assertError(introspectRaw(tenant.id(), aliceToken, bob.accountId()), 401, ApiMessages.INVALID_TOKEN);
        assertError(introspectRaw(tenant().id(), aliceToken, alice.accountId()), 401, ApiMessages.INVALID_TOKEN);
        assertError(introspectRaw(null, aliceToken, alice.accountId()), 401, ApiMessages.INVALID_TOKEN);
        assertError(introspectRaw(tenant.id(), aliceToken, "abc"), 401, ApiMessages.INVALID_TOKEN);
        assertError(introspectRaw(tenant.id(), Secrets.randomAlphanumeric(128), alice.accountId()), 401,
                ApiMessages.INVALID_TOKEN);
        assertError(introspectRaw(tenant.id(), null, alice.accountId()), 400,
                "Please provide the access_token param.");
        assertError(introspectRaw(tenant.id(), aliceToken, null), 400, "Please provide the account_id param.");
        Fixtures.jwt(alice, aliceToken);
    }

    @Test
    void disablingATokenRemovesItAndTellsTheGateways() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String token = Fixtures.authorize(account);
        String other = Fixtures.authorize(account);
        String jwt = Fixtures.jwt(account, token);

        try (RevocationEvents events = RevocationEvents.fromNow()) {
            Response response = callWithJwt("/api/v2/disable_access_token", jwt, "Asia/Tokyo");
            assertEquals(200, response.statusCode(), response.asString());
            assertEquals("application/json; charset=UTF-8", response.contentType());
            JsonNode body = json(response);
            assertEquals(List.of("response", "_status", "_datetime"), keys(body));
            assertEquals("Token removed or no longer available.", body.get("response").asText());
            assertEquals("success", body.get("_status").asText());

            RevocationEvents.Event event = events.awaitTokenHash(Secrets.sha256Hex(token));
            assertEquals(List.of("tokenHash", "accountId", "tenantId", "revokedAtEpochMillis"), keys(event.value()));
            assertEquals(account.accountId(), event.key());
            assertEquals(account.accountId(), event.value().get("accountId").asText());
            assertEquals(account.tenantId(), event.value().get("tenantId").asText());
            long age = System.currentTimeMillis() - event.value().get("revokedAtEpochMillis").asLong();
            assertTrue(age >= 0 && age < 60_000, "revokedAtEpochMillis " + age + " ms ago");
        }
        assertError(introspectRaw(account.tenantId(), token, account.accountId()), 401, ApiMessages.INVALID_TOKEN);
        // only that token
        Fixtures.jwt(account, other);
        // disabling again is not an error
        callWithJwt("/api/v2/disable_access_token", jwt, null).then().statusCode(200);
    }

    @Test
    void disablingNeedsAJwt() {
        assertError(callWithJwt("/api/v2/disable_access_token", null, null), 401, ApiMessages.INVALID_TOKEN);
        assertError(callWithJwt("/api/v2/disable_access_token", "not.a.jwt", null), 401, ApiMessages.INVALID_TOKEN);
    }

    @Test
    void tokensAreStoredHashed() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String token = Fixtures.authorize(account);
        String tokenHash = json(introspectRaw(account.tenantId(), token, account.accountId())).get("tokenHash").asText();
        assertNotEquals(token, tokenHash);
        long stored = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                io.filehost.authservice.entity.AccessToken.count("tokenSha256", tokenHash));
        long clear = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                io.filehost.authservice.entity.AccessToken.count("tokenSha256", token));
        assertEquals(1, stored);
        assertEquals(0, clear);
    }
}
