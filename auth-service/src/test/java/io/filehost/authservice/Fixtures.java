package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.internal.InternalHeaders;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test fixtures made the way an operator and the gateway make them: through the admin API, /api/v2/authorize and
 * /internal/introspect. Names and client addresses are unique per call, so tests never share lockout state or rows.
 */
public final class Fixtures {
    public static final String ADMIN_KEY = "test-admin-key-not-a-secret";
    public static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ADDRESSES = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 20));

    public record TenantRef(String id, String name, JsonNode body) {
        public String packageId(String packageName) {
            for (JsonNode p : body.get("packages")) {
                if (p.get("name").asText().equals(packageName)) {
                    return p.get("id").asText();
                }
            }
            throw new AssertionError("no package " + packageName);
        }
    }

    public record AccountRef(String accountId, String tenantId, String username, String key1, String key2) {
    }

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A client address no other test uses (10.0.0.0/8, never routed). */
    public static String uniqueIp() {
        int n = ADDRESSES.incrementAndGet() & 0xFFFFFF;
        return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    }

    public static RequestSpecification admin() {
        return given().header("X-Admin-Key", ADMIN_KEY).contentType(ContentType.JSON);
    }

    public static TenantRef tenant(String timeZone, String... hosts) {
        String name = unique("t");
        Response response = admin()
                .body(Map.of("name", name, "hosts", List.of(hosts), "timeZone", timeZone))
                .post("/admin/tenants");
        assertEquals(201, response.statusCode(), response.asString());
        JsonNode body = json(response);
        return new TenantRef(body.get("tenantId").asText(), name, body);
    }

    public static TenantRef tenant() {
        return tenant("UTC");
    }

    public static AccountRef account(TenantRef tenant, String packageName) {
        return account(tenant, packageName, Map.of());
    }

    public static AccountRef account(TenantRef tenant, String packageName, Map<String, String> extra) {
        String username = unique("user");
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("tenant", tenant.name());
        body.put("username", username);
        body.put("package", packageName);
        Response response = admin().body(body).post("/admin/accounts");
        assertEquals(201, response.statusCode(), response.asString());
        JsonNode json = json(response);
        return new AccountRef(json.get("account_id").asText(), tenant.id(), username, json.get("key1").asText(),
                json.get("key2").asText());
    }

    public static Response authorizeRaw(String tenantId, String key1, String key2, String clientIp) {
        RequestSpecification request = given().contentType(FORM).header(InternalHeaders.CLIENT_IP, clientIp);
        if (tenantId != null) {
            request.header(InternalHeaders.TENANT_ID, tenantId);
        }
        if (key1 != null) {
            request.formParam("key1", key1);
        }
        if (key2 != null) {
            request.formParam("key2", key2);
        }
        return request.post("/api/v2/authorize");
    }

    /** A fresh access token (asserts success). */
    public static String authorize(AccountRef account) {
        return authorize(account, uniqueIp());
    }

    public static String authorize(AccountRef account, String clientIp) {
        Response response = authorizeRaw(account.tenantId(), account.key1(), account.key2(), clientIp);
        assertEquals(200, response.statusCode(), response.asString());
        return json(response).get("data").get("access_token").asText();
    }

    public static Response introspectRaw(String tenantId, String accessToken, String accountId) {
        RequestSpecification request = given().contentType(FORM);
        if (tenantId != null) {
            request.header(InternalHeaders.TENANT_ID, tenantId);
        }
        if (accessToken != null) {
            request.formParam("access_token", accessToken);
        }
        if (accountId != null) {
            request.formParam("account_id", accountId);
        }
        return request.post("/internal/introspect");
    }

    /** The internal JWT the gateway would obtain for this token (asserts success). */
    public static String jwt(AccountRef account, String accessToken) {
        Response response = introspectRaw(account.tenantId(), accessToken, account.accountId());
        assertEquals(200, response.statusCode(), response.asString());
        return json(response).get("jwt").asText();
    }

    /** A call to a JWT-protected endpoint as the gateway forwards it. */
    public static Response callWithJwt(String path, String jwt, String timeZone) {
        RequestSpecification request = given().contentType(FORM).formParam("account_id", "ignored");
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        if (timeZone != null) {
            request.header(InternalHeaders.TENANT_TIME_ZONE, timeZone);
        }
        return request.post(path);
    }

    public static ObjectNode json(Response response) {
        try {
            return (ObjectNode) JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.asString(), e);
        }
    }

    public static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }

    /** Asserts the error envelope of behaviour.md §2 with this status and message. */
    public static void assertError(Response response, int status, String message) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals("application/json; charset=UTF-8", response.contentType());
        ObjectNode body = json(response);
        assertEquals(List.of("status", "_status", "response", "_datetime"), keys(body));
        assertEquals("error", body.get("status").asText());
        assertEquals("error", body.get("_status").asText());
        assertEquals(message, body.get("response").asText());
    }
}
