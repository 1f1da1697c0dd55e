package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;

import static io.filehost.authservice.Fixtures.admin;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.keys;
import static io.filehost.authservice.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only this class creates a default tenant (at most one may exist), after checking that an unknown host is 404 while
 * there is none. The test database is cleaned at every start, so the order holds on every run.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantResolveTest {

    private static Response resolve(String host) {
        return given().queryParam("host", host).get("/internal/tenants/resolve");
    }

    @Test
    @Order(1)
    void unknownHostWithoutADefaultIs404() {
        Response response = resolve(unique("nowhere") + ".test");
        assertEquals(404, response.statusCode(), response.asString());
        assertEquals(Map.of("error", "unknown host"), Fixtures.JSON.convertValue(json(response), Map.class));
    }

    @Test
    @Order(2)
    void matchesHostAndPortThenHostCaseInsensitively() {
        String name = unique("site");
        String host = name + ".example.test";
        JsonNode byPort = json(admin().body(Map.of("name", name + "-alt", "hosts", List.of(host + ":8443")))
                .post("/admin/tenants"));
        JsonNode byHost = json(admin().body(Map.of("name", name, "hosts", List.of(host),
                "publicBaseUrl", "https://" + host, "strictHttp", true, "timeZone", "Asia/Tokyo"))
                .post("/admin/tenants"));

        Response exact = resolve(host.toUpperCase() + ":8443");
        assertEquals(200, exact.statusCode(), exact.asString());
        assertEquals(byPort.get("tenantId").asText(), json(exact).get("tenantId").asText());

        JsonNode withOtherPort = json(resolve(host + ":8080"));
        assertEquals(byHost.get("tenantId").asText(), withOtherPort.get("tenantId").asText());

        JsonNode plain = json(resolve(host));
        assertEquals(List.of("tenantId", "name", "publicBaseUrl", "strictHttp", "timeZone"), keys(plain));
        assertEquals(byHost.get("tenantId").asText(), plain.get("tenantId").asText());
        assertTrue(plain.get("tenantId").isTextual());
        assertEquals(name, plain.get("name").asText());
        assertEquals("https://" + host, plain.get("publicBaseUrl").asText());
        assertTrue(plain.get("strictHttp").asBoolean());
        assertEquals("Asia/Tokyo", plain.get("timeZone").asText());

        assertEquals(404, resolve("other." + host).statusCode());
    }

    @Test
    @Order(3)
    void fallsBackToTheDefaultTenant() {
        String name = unique("default");
        Response created = admin().body(Map.of("name", name, "isDefault", true)).post("/admin/tenants");
        assertEquals(201, created.statusCode(), created.asString());
        String defaultId = json(created).get("tenantId").asText();

        JsonNode unknown = json(resolve(unique("nowhere") + ".test:8080"));
        assertEquals(defaultId, unknown.get("tenantId").asText());
        assertTrue(unknown.get("publicBaseUrl").isNull());
        assertEquals("UTC", unknown.get("timeZone").asText());
        assertEquals(false, unknown.get("strictHttp").asBoolean());
        assertEquals(defaultId, json(given().get("/internal/tenants/resolve")).get("tenantId").asText());

        // a second default is refused: at most one
        admin().body(Map.of("name", unique("default2"), "isDefault", true)).post("/admin/tenants")
                .then().statusCode(409);
    }
}
