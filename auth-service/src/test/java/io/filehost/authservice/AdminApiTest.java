package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.filehost.authservice.Fixtures.admin;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class AdminApiTest {
    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;

    @Test
    void refusesAMissingOrWrongKey() {
        given().get("/admin/tenants").then().statusCode(403);
        given().header("X-Admin-Key", "wrong").get("/admin/tenants").then().statusCode(403);
        String almost = Fixtures.ADMIN_KEY.substring(0, Fixtures.ADMIN_KEY.length() - 1) + "X";
        given().header("X-Admin-Key", almost).get("/admin/tenants").then().statusCode(403);
        given().header("X-Admin-Key", Fixtures.ADMIN_KEY.toUpperCase()).get("/admin/tenants").then().statusCode(403);
        Response refused = given().header("X-Admin-Key", "wrong").contentType(ContentType.JSON)
                .body(Map.of("name", unique("t"))).post("/admin/tenants");
        assertEquals(403, refused.statusCode());
        assertEquals("forbidden", json(refused).get("error").asText());
        // and nothing was created
        given().header("X-Admin-Key", "wrong").contentType(ContentType.JSON)
                .body(Map.of("tenant", "x", "username", "u", "package", "free")).post("/admin/accounts")
                .then().statusCode(403);
        admin().get("/admin/tenants").then().statusCode(200);
    }

    @Test
    void createsATenantWithSeededPackages() {
        String name = unique("site");
        Response response = admin().body(Map.of("name", name, "hosts", List.of("Files.Example.TEST:8443", name + ".test"),
                        "publicBaseUrl", "https://files.example.test/", "strictHttp", true,
                        "timeZone", "Europe/Berlin"))
                .post("/admin/tenants");
        assertEquals(201, response.statusCode(), response.asString());
        JsonNode tenant = json(response);
        assertTrue(tenant.get("tenantId").asText().matches("[1-9][0-9]*"));
        assertEquals(name, tenant.get("name").asText());
        assertEquals(List.of("files.example.test:8443", name + ".test"),
                Fixtures.JSON.convertValue(tenant.get("hosts"), List.class));
        assertEquals("https://files.example.test", tenant.get("publicBaseUrl").asText());
        assertTrue(tenant.get("strictHttp").asBoolean());
        assertEquals("Europe/Berlin", tenant.get("timeZone").asText());
        assertFalse(tenant.get("isDefault").asBoolean());

        Map<String, JsonNode> packages = new HashMap<>();
        tenant.get("packages").forEach(p -> packages.put(p.get("name").asText(), p));
        assertEquals(3, packages.size());

        JsonNode free = packages.get("free");
        assertEquals(100 * MIB, free.get("max_upload_size").asLong());
        assertEquals(GIB, free.get("max_storage_bytes").asLong());
        assertTrue(free.get("can_upload").asBoolean());
        assertEquals("free user", free.get("level_type").asText());

        JsonNode paid = packages.get("paid");
        assertEquals("Premium Account", paid.get("label").asText());
        assertEquals(10 * GIB, paid.get("max_upload_size").asLong());
        assertEquals(0, paid.get("max_storage_bytes").asLong());
        assertEquals(100, paid.get("concurrent_uploads").asInt());
        assertEquals(50, paid.get("max_remote_download_urls").asInt());
        assertEquals("paid user", paid.get("level_type").asText());

        JsonNode adminPackage = packages.get("admin");
        for (String limit : List.of("max_upload_size", "max_storage_bytes", "download_speed", "concurrent_uploads",
                "concurrent_downloads", "downloads_per_24_hours", "download_size_per_24_hours",
                "max_download_filesize_allowed", "max_remote_download_urls", "wait_between_downloads")) {
            assertEquals(0, adminPackage.get(limit).asLong(), limit);
        }
        assertTrue(adminPackage.get("can_upload").asBoolean());

        JsonNode fetched = json(admin().get("/admin/tenants/" + name));
        assertEquals(tenant, fetched);
        Response all = admin().get("/admin/tenants");
        assertEquals(200, all.statusCode());
        assertTrue(all.asString().contains("\"name\":\"" + name + "\""), all.asString());
        admin().get("/admin/tenants/" + unique("nope")).then().statusCode(404);
    }

    @Test
    void refusesInvalidOrConflictingTenants() {
        String name = unique("dup");
        String host = name + ".test";
        admin().body(Map.of("name", name, "hosts", List.of(host))).post("/admin/tenants").then().statusCode(201);
        admin().body(Map.of("name", name)).post("/admin/tenants").then().statusCode(409);
        admin().body(Map.of("name", unique("other"), "hosts", List.of(host.toUpperCase())))
                .post("/admin/tenants").then().statusCode(409);
        admin().body(Map.of("name", unique("tz"), "timeZone", "Mars/Olympus")).post("/admin/tenants")
                .then().statusCode(400);
        admin().body(Map.of("name", "bad name")).post("/admin/tenants").then().statusCode(400);
        admin().body(Map.of("name", unique("h"), "hosts", List.of("http://x.test/"))).post("/admin/tenants")
                .then().statusCode(400);
        admin().body(Map.of("name", unique("u"), "publicBaseUrl", "ftp://x.test")).post("/admin/tenants")
                .then().statusCode(400);
    }

    @Test
    void createsAndListsPackages() {
        Fixtures.TenantRef tenant = Fixtures.tenant();
        Map<String, Object> body = new HashMap<>(Map.ofEntries(
                Map.entry("tenant", tenant.name()), Map.entry("name", "gold"), Map.entry("label", "Gold"),
                Map.entry("max_upload_size", 5 * GIB), Map.entry("can_upload", 1),
                Map.entry("wait_between_downloads", 0), Map.entry("download_speed", 0),
                Map.entry("max_storage_bytes", "0"), Map.entry("show_site_adverts", false),
                Map.entry("show_upgrade_screen", true), Map.entry("days_to_keep_inactive_files", 30),
                Map.entry("concurrent_uploads", 10), Map.entry("concurrent_downloads", 3),
                Map.entry("downloads_per_24_hours", 100), Map.entry("download_size_per_24_hours", 20 * GIB),
                Map.entry("max_download_filesize_allowed", 0), Map.entry("max_remote_download_urls", 7),
                Map.entry("level_type", "paid user"), Map.entry("on_upgrade_page", true)));
        Response created = admin().body(body).post("/admin/packages");
        assertEquals(201, created.statusCode(), created.asString());
        JsonNode gold = json(created);
        assertEquals("gold", gold.get("name").asText());
        assertEquals(5 * GIB, gold.get("max_upload_size").asLong());
        assertEquals(7, gold.get("max_remote_download_urls").asInt());
        assertTrue(gold.get("on_upgrade_page").asBoolean());

        admin().body(body).post("/admin/packages").then().statusCode(409);
        Map<String, Object> incomplete = new HashMap<>(body);
        incomplete.put("name", "silver");
        incomplete.remove("concurrent_uploads");
        Response missing = admin().body(incomplete).post("/admin/packages");
        assertEquals(400, missing.statusCode());
        assertEquals("concurrent_uploads is required", json(missing).get("error").asText());
        incomplete.put("concurrent_uploads", -1);
        admin().body(incomplete).post("/admin/packages").then().statusCode(400);

        String names = admin().queryParam("tenant", tenant.name()).get("/admin/packages").asString();
        for (String packageName : List.of("free", "paid", "admin", "gold")) {
            assertTrue(names.contains("\"name\":\"" + packageName + "\""), names);
        }
        admin().queryParam("tenant", unique("nope")).get("/admin/packages").then().statusCode(404);
    }

    @Test
    void createsAccountsWithAKeyPairShownOnce() {
        Fixtures.TenantRef tenant = Fixtures.tenant();
        String username = unique("Alice");
        Response response = admin().body(Map.of("tenant", tenant.name(), "username", username, "package", "paid",
                "email", "alice@example.test", "firstname", "Alice")).post("/admin/accounts");
        assertEquals(201, response.statusCode(), response.asString());
        JsonNode account = json(response);
        assertEquals(List.of("account_id", "tenant", "username", "package", "key1", "key2"), Fixtures.keys(account));
        assertTrue(account.get("account_id").asText().matches("[1-9][0-9]*"));
        assertEquals(tenant.name(), account.get("tenant").asText());
        assertEquals("paid", account.get("package").asText());
        assertTrue(account.get("key1").asText().matches("[A-Za-z0-9]{64}"));
        assertTrue(account.get("key2").asText().matches("[A-Za-z0-9]{64}"));
        assertNotEquals(account.get("key1").asText(), account.get("key2").asText());

        // usernames are unique per tenant regardless of case, but may repeat in another tenant
        admin().body(Map.of("tenant", tenant.name(), "username", username.toUpperCase(), "package", "free"))
                .post("/admin/accounts").then().statusCode(409);
        admin().body(Map.of("tenant", Fixtures.tenant().name(), "username", username, "package", "free"))
                .post("/admin/accounts").then().statusCode(201);
        admin().body(Map.of("tenant", tenant.name(), "username", unique("bob"), "package", "platinum"))
                .post("/admin/accounts").then().statusCode(400);
        admin().body(Map.of("tenant", unique("nope"), "username", unique("bob"), "package", "free"))
                .post("/admin/accounts").then().statusCode(400);
        admin().body(Map.of("tenant", tenant.name(), "package", "free")).post("/admin/accounts")
                .then().statusCode(400);
        admin().post("/admin/accounts/999999999/keys").then().statusCode(404);
        admin().body(Map.of("status", "active")).post("/admin/accounts/999999999/status").then().statusCode(404);
        admin().body(Map.of("status", "sleeping")).post("/admin/accounts/" + account.get("account_id").asText()
                + "/status").then().statusCode(400);
    }
}
