package io.filehost.folderservice.support;

import io.filehost.common.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Calls folder-service as the gateway does: POST urlencoded with the merged parameters, an internal JWT for the
 * account, and the gateway's headers. Every test uses fresh account ids so tests never see each other's folders.
 */
public final class Gateway {
    public static final String BASE_URL = "https://files.example.test";
    private static final AtomicLong NEXT_ACCOUNT =
            new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000) * 1000);

    private Gateway() {
    }

    public record As(long accountId, long tenantId) {
        public String key() {
            return tenantId + ":" + accountId;
        }

        public String jwt() {
            return TestJwt.forAccount(accountId, tenantId);
        }
    }

    public static As newAccount() {
        return new As(NEXT_ACCOUNT.incrementAndGet(), 1);
    }

    public static RequestSpecification request(As as) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("Authorization", "Bearer " + as.jwt())
                .header("X-Public-Base-Url", BASE_URL)
                .header("X-Tenant-Id", Long.toString(as.tenantId()))
                .header("X-Tenant-Time-Zone", "UTC")
                .header("X-Request-Id", "test-" + as.accountId());
    }

    /** POST /api/v2/folder/{action} with the given parameters (name, value, name, value…). */
    public static Response call(As as, String action, String... params) {
        RequestSpecification request = request(as);
        for (int i = 0; i < params.length; i += 2) {
            request.formParam(params[i], params[i + 1]);
        }
        return request.post("/api/v2/folder/" + action);
    }

    /** A successful call's JSON, asserting 200 and the JSON content type. */
    public static JsonPath ok(As as, String action, String... params) {
        Response response = call(as, action, params);
        assertEquals(200, response.statusCode(), () -> action + " failed: " + response.asString());
        assertEquals("application/json; charset=UTF-8", response.contentType());
        return response.jsonPath();
    }

    /** An error call: asserts the strict status, the envelope and its message. */
    public static void error(As as, int status, String message, String action, String... params) {
        Response response = call(as, action, params);
        assertEquals(status, response.statusCode(), () -> action + ": " + response.asString());
        JsonPath json = response.jsonPath();
        assertEquals("error", json.getString("status"));
        assertEquals("error", json.getString("_status"));
        assertEquals(message, json.getString("response"));
    }

    public static String create(As as, String name, String... more) {
        String[] params = new String[more.length + 2];
        params[0] = "folder_name";
        params[1] = name;
        System.arraycopy(more, 0, params, 2, more.length);
        return ok(as, "create", params).getString("data.id");
    }

    /** A chain of {@code depth} folders, each inside the previous one; returns their ids top first. */
    public static List<String> chain(As as, String parentId, int depth) {
        java.util.ArrayList<String> ids = new java.util.ArrayList<>();
        String parent = parentId;
        for (int i = 0; i < depth; i++) {
            parent = parent == null ? create(as, "level " + i) : create(as, "level " + i, "parent_id", parent);
            ids.add(parent);
        }
        return ids;
    }

    public static void seedFiles(String fakeUrl, As as, List<Map<String, Object>> files) {
        given().baseUri(fakeUrl).contentType(ContentType.JSON)
                .body(Map.of("tenantId", Long.toString(as.tenantId()), "accountId", Long.toString(as.accountId()),
                        "files", files))
                .post("/__seed").then().statusCode(200);
    }

    /**
     * A listing entry as file-service writes it (behaviour.md §6 field order, database values as strings, then our
     * addition uploadedDate).
     */
    public static Map<String, Object> file(String id, String filename, String folderId, long size, long downloads) {
        Map<String, Object> file = new java.util.LinkedHashMap<>();
        file.put("id", id);
        file.put("filename", filename);
        file.put("shortUrl", "s" + id);
        file.put("fileType", "application/octet-stream");
        file.put("extension", "bin");
        file.put("fileSize", Long.toString(size));
        file.put("status", "active");
        file.put("downloads", Long.toString(downloads));
        file.put("folderId", folderId);
        file.put("keywords", filename.toLowerCase());
        file.put("url_file", BASE_URL + "/s" + id);
        file.put("uploadedDate", "2024-05-20 02:51:08");
        return file;
    }

    public static JsonPath calls(String fakeUrl, As as) {
        return given().baseUri(fakeUrl).queryParam("account", as.key()).get("/__calls").then().statusCode(200)
                .extract().jsonPath();
    }

    public static void failFileService(String fakeUrl, As as, boolean on) {
        given().baseUri(fakeUrl).queryParam("account", as.key()).queryParam("on", on).post("/__fail").then()
                .statusCode(200);
    }

    public static void delayFileService(String fakeUrl, As as, long millis) {
        given().baseUri(fakeUrl).queryParam("account", as.key()).queryParam("ms", millis).post("/__delay").then()
                .statusCode(200);
    }
}
