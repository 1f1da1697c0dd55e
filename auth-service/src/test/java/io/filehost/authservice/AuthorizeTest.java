package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.security.Secrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.filehost.authservice.Fixtures.FORM;
import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.admin;
import static io.filehost.authservice.Fixtures.assertError;
import static io.filehost.authservice.Fixtures.authorizeRaw;
import static io.filehost.authservice.Fixtures.introspectRaw;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.keys;
import static io.filehost.authservice.Fixtures.tenant;
import static io.filehost.authservice.Fixtures.uniqueIp;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AuthorizeTest {
    private static final String VALID = "a".repeat(64);

    @Test
    void key1MustBe64Alphanumerics() {
        String ip = uniqueIp();
        assertError(authorizeRaw("1", null, VALID, ip), 400, ApiMessages.KEY1_INVALID);
        assertError(authorizeRaw("1", "", VALID, ip), 400, ApiMessages.KEY1_INVALID);
        assertError(authorizeRaw("1", "a".repeat(63), VALID, ip), 400, ApiMessages.KEY1_INVALID);
        assertError(authorizeRaw("1", "a".repeat(65), VALID, ip), 400, ApiMessages.KEY1_INVALID);
        assertError(authorizeRaw("1", "a".repeat(63) + "-", VALID, ip), 400, ApiMessages.KEY1_INVALID);
        assertError(authorizeRaw("1", "a".repeat(63) + "é", VALID, ip), 400, ApiMessages.KEY1_INVALID);
        // key1 is checked first
        assertError(authorizeRaw("1", null, null, ip), 400, ApiMessages.KEY1_INVALID);
    }

    @Test
    void key2MustBe64Alphanumerics() {
        String ip = uniqueIp();
        assertError(authorizeRaw("1", VALID, null, ip), 400, ApiMessages.KEY2_INVALID);
        assertError(authorizeRaw("1", VALID, "", ip), 400, ApiMessages.KEY2_INVALID);
        assertError(authorizeRaw("1", VALID, "b".repeat(63), ip), 400, ApiMessages.KEY2_INVALID);
        assertError(authorizeRaw("1", VALID, "b".repeat(65), ip), 400, ApiMessages.KEY2_INVALID);
        assertError(authorizeRaw("1", VALID, "b".repeat(63) + " b", ip), 400, ApiMessages.KEY2_INVALID);
    }

    @Test
    void issuesATokenInTheDocumentedShape() {
        Fixtures.TenantRef tenant = tenant("Pacific/Kiritimati");
        Fixtures.AccountRef account = account(tenant, "free");
        String ip = uniqueIp();
        Response response = given().contentType(FORM)
                .header(InternalHeaders.TENANT_ID, tenant.id())
                .header(InternalHeaders.TENANT_TIME_ZONE, "Pacific/Kiritimati")
                .header(InternalHeaders.CLIENT_IP, ip)
                // values are trimmed, like every API parameter
                .formParam("key1", " " + account.key1() + " ")
                .formParam("key2", account.key2() + "\n")
                .post("/api/v2/authorize");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("application/json; charset=UTF-8", response.contentType());
        JsonNode body = json(response);
        assertEquals(List.of("data", "_status", "_datetime"), keys(body));
        assertEquals(List.of("access_token", "account_id"), keys(body.get("data")));
        assertTrue(body.get("data").get("access_token").asText().matches("[0-9a-zA-Z]{128}"));
        assertEquals(account.accountId(), body.get("data").get("account_id").asText());
        assertTrue(body.get("data").get("account_id").isTextual());
        assertEquals("success", body.get("_status").asText());
        LocalDateTime stamp = LocalDateTime.parse(body.get("_datetime").asText(),
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        LocalDateTime nowThere = LocalDateTime.now(ZoneId.of("Pacific/Kiritimati"));
        assertTrue(Duration.between(stamp, nowThere).abs().getSeconds() < 60, stamp + " vs " + nowThere);

        // the token works, and the login was recorded
        String token = body.get("data").get("access_token").asText();
        String jwt = Fixtures.jwt(account, token);
        JsonNode info = json(Fixtures.callWithJwt("/api/v2/account/info", jwt, null)).get("data");
        assertEquals(ip, info.get("lastloginip").asText());
        assertTrue(info.get("lastlogindate").asText().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
    }

    @Test
    void refusesAWrongPair() {
        Fixtures.AccountRef account = account(tenant(), "free");
        assertError(authorizeRaw(account.tenantId(), account.key1(), account.key1(), uniqueIp()), 401,
                ApiMessages.AUTH_FAILED);
        assertError(authorizeRaw(account.tenantId(), account.key2(), account.key2(), uniqueIp()), 401,
                ApiMessages.AUTH_FAILED);
        assertError(authorizeRaw(account.tenantId(), Secrets.randomAlphanumeric(64), account.key2(), uniqueIp()),
                401, ApiMessages.AUTH_FAILED);
    }

    @Test
    void refusesTheRightKeysForAnotherTenant() {
        Fixtures.AccountRef account = account(tenant(), "free");
        Fixtures.TenantRef other = tenant();
        assertError(authorizeRaw(other.id(), account.key1(), account.key2(), uniqueIp()), 401,
                ApiMessages.AUTH_FAILED);
        assertError(authorizeRaw(null, account.key1(), account.key2(), uniqueIp()), 401, ApiMessages.AUTH_FAILED);
        assertError(authorizeRaw("x", account.key1(), account.key2(), uniqueIp()), 401, ApiMessages.AUTH_FAILED);
        Fixtures.authorize(account);
    }

    @Test
    void refusesANonActiveAccountAndRevokesItsTokens() {
        Fixtures.AccountRef account = account(tenant(), "free");
        String token = Fixtures.authorize(account);
        try (RevocationEvents events = RevocationEvents.fromNow()) {
            JsonNode suspended = json(admin().body(Map.of("status", "suspended"))
                    .post("/admin/accounts/" + account.accountId() + "/status"));
            assertEquals("suspended", suspended.get("status").asText());
            RevocationEvents.Event event = events.awaitAllTokensOf(account.accountId());
            assertEquals(account.tenantId(), event.value().get("tenantId").asText());
        }
        assertError(authorizeRaw(account.tenantId(), account.key1(), account.key2(), uniqueIp()), 401,
                ApiMessages.AUTH_FAILED);
        assertError(introspectRaw(account.tenantId(), token, account.accountId()), 401, ApiMessages.INVALID_TOKEN);

        admin().body(Map.of("status", "disabled")).post("/admin/accounts/" + account.accountId() + "/status")
                .then().statusCode(200);
        assertError(authorizeRaw(account.tenantId(), account.key1(), account.key2(), uniqueIp()), 401,
                ApiMessages.AUTH_FAILED);

        admin().body(Map.of("status", "active")).post("/admin/accounts/" + account.accountId() + "/status")
                .then().statusCode(200);
        Fixtures.authorize(account);
    }

    @Test
    void rotatingKeysRetiresTheOldPairAndItsTokens() {
        Fixtures.AccountRef account = account(tenant(), "paid");
        String token = Fixtures.authorize(account);
        JsonNode rotated;
        try (RevocationEvents events = RevocationEvents.fromNow()) {
            Response response = admin().post("/admin/accounts/" + account.accountId() + "/keys");
            assertEquals(200, response.statusCode(), response.asString());
            rotated = json(response);
            events.awaitAllTokensOf(account.accountId());
        }
        assertEquals(account.accountId(), rotated.get("account_id").asText());
        assertNotEquals(account.key1(), rotated.get("key1").asText());
        assertNotEquals(account.key2(), rotated.get("key2").asText());

        assertError(introspectRaw(account.tenantId(), token, account.accountId()), 401, ApiMessages.INVALID_TOKEN);
        assertError(authorizeRaw(account.tenantId(), account.key1(), account.key2(), uniqueIp()), 401,
                ApiMessages.AUTH_FAILED);
        Fixtures.authorize(new Fixtures.AccountRef(account.accountId(), account.tenantId(), account.username(),
                rotated.get("key1").asText(), rotated.get("key2").asText()));
    }
}
