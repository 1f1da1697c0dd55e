package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.internal.InternalClaims;
import io.filehost.common.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.assertError;
import static io.filehost.authservice.Fixtures.callWithJwt;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.keys;
import static io.filehost.authservice.Fixtures.tenant;
import static io.filehost.authservice.Fixtures.uniqueIp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AccountEndpointsTest {
    private static final DateTimeFormatter PHP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void infoListsTheDocumentedFieldsInOrder() {
        Fixtures.TenantRef tenant = tenant("America/New_York");
        Fixtures.AccountRef account = account(tenant, "paid", Map.of("email", "ada@example.test", "title", "Dr",
                "firstname", "Ada", "lastname", "Lovelace"));
        String ip = uniqueIp();
        String jwt = Fixtures.jwt(account, Fixtures.authorize(account, ip));

        Response response = callWithJwt("/api/v2/account/info", jwt, "America/New_York");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("application/json; charset=UTF-8", response.contentType());
        JsonNode body = json(response);
        assertEquals(List.of("data", "_status", "_datetime"), keys(body));
        JsonNode data = body.get("data");
        assertEquals(List.of("id", "username", "level_id", "email", "lastlogindate", "lastloginip", "status", "title",
                "firstname", "lastname", "languageId", "datecreated", "lastPayment", "paidExpiryDate",
                "storageLimitOverride"), keys(data));
        assertEquals(account.accountId(), data.get("id").asText());
        assertEquals(account.username(), data.get("username").asText());
        assertEquals(tenant.packageId("paid"), data.get("level_id").asText());
        assertEquals("ada@example.test", data.get("email").asText());
        assertEquals(ip, data.get("lastloginip").asText());
        assertEquals("active", data.get("status").asText());
        assertEquals("Dr", data.get("title").asText());
        assertEquals("Ada", data.get("firstname").asText());
        assertEquals("Lovelace", data.get("lastname").asText());
        for (String nullField : List.of("languageId", "lastPayment", "paidExpiryDate", "storageLimitOverride")) {
            assertTrue(data.get(nullField).isNull(), nullField + " is null");
        }
        for (String stringField : List.of("id", "username", "level_id", "email", "lastlogindate", "lastloginip",
                "status", "title", "firstname", "lastname", "datecreated")) {
            assertTrue(data.get(stringField).isTextual(), stringField + " is a string");
        }
        // dates in the tenant's zone, PHP's Y-m-d H:i:s
        ZoneId zone = ZoneId.of("America/New_York");
        for (String date : List.of("lastlogindate", "datecreated")) {
            LocalDateTime value = LocalDateTime.parse(data.get(date).asText(), PHP_DATE);
            assertTrue(Duration.between(value, LocalDateTime.now(zone)).abs().toMinutes() < 2, date + " " + value);
        }
    }

    @Test
    void packageListsTheDocumentedFieldsInOrder() {
        Fixtures.TenantRef tenant = tenant();
        Fixtures.AccountRef account = account(tenant, "paid");
        String jwt = Fixtures.jwt(account, Fixtures.authorize(account));

        Response response = callWithJwt("/api/v2/account/package", jwt, null);
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode body = json(response);
        assertEquals(List.of("data", "_status", "_datetime"), keys(body));
        JsonNode data = body.get("data");
        assertEquals(List.of("id", "label", "max_upload_size", "can_upload", "wait_between_downloads",
                "download_speed", "max_storage_bytes", "show_site_adverts", "show_upgrade_screen",
                "days_to_keep_inactive_files", "concurrent_uploads", "concurrent_downloads", "downloads_per_24_hours",
                "download_size_per_24_hours", "max_download_filesize_allowed", "max_remote_download_urls",
                "level_type", "on_upgrade_page"), keys(data));
        data.fields().forEachRemaining(field -> assertTrue(field.getValue().isTextual(), field.getKey()));
        assertEquals(tenant.packageId("paid"), data.get("id").asText());
        assertEquals("Premium Account", data.get("label").asText());
        assertEquals("10737418240", data.get("max_upload_size").asText());
        assertEquals("1", data.get("can_upload").asText());
        assertEquals("0", data.get("max_storage_bytes").asText());
        assertEquals("0", data.get("show_site_adverts").asText());
        assertEquals("1", data.get("show_upgrade_screen").asText());
        assertEquals("100", data.get("concurrent_uploads").asText());
        assertEquals("50", data.get("max_remote_download_urls").asText());
        assertEquals("paid user", data.get("level_type").asText());
        assertEquals("0", data.get("on_upgrade_page").asText());

        Fixtures.AccountRef free = account(tenant, "free");
        JsonNode freeData = json(callWithJwt("/api/v2/account/package",
                Fixtures.jwt(free, Fixtures.authorize(free)), null)).get("data");
        assertEquals(tenant.packageId("free"), freeData.get("id").asText());
        assertEquals("104857600", freeData.get("max_upload_size").asText());
        assertEquals("1073741824", freeData.get("max_storage_bytes").asText());
    }

    @Test
    void refuseCallsWithoutAValidJwt() throws Exception {
        for (String path : List.of("/api/v2/account/info", "/api/v2/account/package")) {
            assertError(callWithJwt(path, null, null), 401, ApiMessages.INVALID_TOKEN);
            assertError(callWithJwt(path, "garbage", null), 401, ApiMessages.INVALID_TOKEN);
            // signed by a key that is not auth-service's
            String forged = Jwt.issuer(InternalClaims.ISSUER).audience(InternalClaims.AUDIENCE).subject("1")
                    .claim(InternalClaims.TENANT_ID, "1").expiresIn(Duration.ofMinutes(5))
                    .jws().sign(KeyUtils.generateKeyPair(2048).getPrivate());
            assertError(callWithJwt(path, forged, null), 401, ApiMessages.INVALID_TOKEN);
            // well signed, but expired
            String expired = TestJwt.forAccount(1, 1, TestJwt.unlimited(), Duration.ofSeconds(-120));
            assertError(callWithJwt(path, expired, null), 401, ApiMessages.INVALID_TOKEN);
        }
    }

    @Test
    void aJwtOnlyReachesItsOwnTenantsAccount() {
        Fixtures.AccountRef account = account(tenant(), "free");
        long accountId = Long.parseLong(account.accountId());
        long otherTenant = Long.parseLong(tenant().id());
        assertError(callWithJwt("/api/v2/account/info", TestJwt.forAccount(accountId, otherTenant), null), 401,
                ApiMessages.INVALID_TOKEN);
        assertError(callWithJwt("/api/v2/account/package", TestJwt.forAccount(999_999_999L,
                Long.parseLong(account.tenantId())), null), 401, ApiMessages.INVALID_TOKEN);
        // the same JWT shape for the right tenant works: the refusal above is about the tenant, not the JWT
        callWithJwt("/api/v2/account/info", TestJwt.forAccount(accountId, Long.parseLong(account.tenantId())), null)
                .then().statusCode(200);
    }
}
