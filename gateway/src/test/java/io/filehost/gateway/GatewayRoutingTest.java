package io.filehost.gateway;

import io.filehost.common.api.ApiMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing, normalisation, forwarded headers, status mapping, public paths. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class GatewayRoutingTest extends GatewayTestSupport {
    private static final String JSON_UTF8 = "application/json; charset=UTF-8";

    @Test
    void routesEachEndpointToItsServiceCaseInsensitively() {
        Map<String, String[]> cases = Map.of(
                "/API/V2/File/Info", new String[] {FakeServices.FILE, "/api/v2/file/info"},
                "/api/v2/FOLDER/listing", new String[] {FakeServices.FOLDER, "/api/v2/folder/listing"},
                "/api/v2/account/Package", new String[] {FakeServices.AUTH, "/api/v2/account/package"},
                "/api/v2/Disable_Access_Token", new String[] {FakeServices.AUTH, "/api/v2/disable_access_token"},
                "/api/v2/file/url_upload_status/", new String[] {FakeServices.FILE, "/api/v2/file/url_upload_status"});
        cases.forEach((path, expected) -> {
            String id = newRequestId();
            client(id).get(path + "?" + creds(100)).then().statusCode(200).header("X-Request-Id", id);
            FakeServices.Recorded received = fakes().awaitRequest(id);
            assertEquals(expected[0], received.service(), path);
            assertEquals(expected[1], received.path(), path);
            assertEquals("POST", received.method(), path);
        });
    }

    @Test
    void authorizeGoesToAuthWithoutCredentialsOrJwt() {
        String id = newRequestId();
        client(id).queryParam("key1", "k1").formParam("key2", "k2")
                .post("/api/v2/authorize").then().statusCode(200);
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals(FakeServices.AUTH, received.service());
        assertEquals("/api/v2/authorize", received.path());
        assertEquals("key1=k1&key2=k2", received.bodyText());
        assertNull(received.header("Authorization"));
        assertEquals("1", received.header("X-Tenant-Id"));
        assertTrue(received.header("X-Client-Ip").startsWith("10."));
    }

    @Test
    void unknownEndpointAndActionAre404EvenForCompatibleTenants() {
        client(newRequestId()).get("/api/v2/nothing/info?" + creds(101)).then()
                .statusCode(404).contentType(JSON_UTF8)
                .body("response", equalTo("No endpoint found for: nothing"))
                .body("status", equalTo("error")).body("_status", equalTo("error"))
                .body("_datetime", matchesPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
        client(newRequestId()).get("/api/v2/file/xyz?" + creds(101)).then()
                .statusCode(404).body("response", equalTo("No method found within endpoint (file): xyz"));
        client(newRequestId()).get("/api/v2/authorize/now").then()
                .statusCode(404).body("response", equalTo("No method found within endpoint (authorize): now"));
        client(newRequestId()).get("/api/v1/file/info").then().statusCode(404);
        assertFalse(fakes().anyRequest(r -> r.path().contains("nothing") || r.path().contains("xyz")));
    }

    @Test
    void methodsOtherThanGetAndPostAre405() {
        for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
            client(newRequestId()).request(method, "/api/v2/file/info?" + creds(102)).then()
                    .statusCode(405).contentType(JSON_UTF8)
                    .body("response", equalTo(ApiMessages.METHOD_NOT_ALLOWED));
        }
        client(newRequestId()).head("/api/v2/file/info?" + creds(102)).then().statusCode(405);
        client(newRequestId()).options("/api/v2/file/info").then().statusCode(405);
        client(newRequestId()).request("PUT", "/some/public/path").then().statusCode(405);
    }

    @Test
    void missingCredentialsStrictAndCompatible() {
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?account_id=5").then()
                .statusCode(400).body("response", equalTo("Please provide the access_token param."));
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?access_token=tok-5-a").then()
                .statusCode(400).body("response", equalTo("Please provide the account_id param."));
        client(newRequestId()).header("Host", "strict.test").queryParam("access_token", "  ")
                .queryParam("account_id", "5").get("/api/v2/file/info").then().statusCode(400).body("response", equalTo("Please provide the access_token param."));
        // Default tenant is upstream-compatible: same envelope, HTTP 200.
        client(newRequestId()).get("/api/v2/file/info?account_id=5").then()
                .statusCode(200).body("response", equalTo("Please provide the access_token param."))
                .body("_status", equalTo("error"));
    }

    @Test
    void refusedTokenIs401WithAuthServicesMessage() {
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?access_token=wrong&account_id=7")
                .then().statusCode(401).contentType(JSON_UTF8).body("response", equalTo(ApiMessages.INVALID_TOKEN));
        client(newRequestId()).get("/api/v2/file/info?access_token=wrong&account_id=7")
                .then().statusCode(200).body("response", equalTo(ApiMessages.INVALID_TOKEN));
        client(newRequestId()).header("Host", "strict.test")
                .get("/api/v2/file/info?access_token=auth-says-why&account_id=7").then()
                .statusCode(401).body("response", equalTo("Refused for a reason only auth-service knows."));
        client(newRequestId()).header("Host", "strict.test").queryParam("access_token", "tok-7-\u0001x")
                .queryParam("account_id", "7").get("/api/v2/file/info").then()
                .statusCode(401).body("response", equalTo("The access_token param contains control characters."));
        // A token valid for account 8 does not open account 9.
        client(newRequestId()).header("Host", "strict.test")
                .get("/api/v2/file/info?access_token=" + token(8) + "&account_id=9").then().statusCode(401);
    }

    @Test
    void getIsNormalisedToPostFormWithoutAccessToken() {
        String id = newRequestId();
        String token = token(110);
        client(id).queryParam("folder_name", "My Docs").queryParam("access_token", token)
                .queryParam("account_id", "110").queryParam("is_public", "1", "2")
                .get("/api/v2/folder/create").then().statusCode(200);
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals("POST", received.method());
        assertEquals("application/x-www-form-urlencoded; charset=UTF-8", received.header("Content-Type"));
        assertEquals("folder_name=My+Docs&account_id=110&is_public=1&is_public=2", received.bodyText());
        assertNull(received.query());
        assertFalse(received.bodyText().contains(token));
    }

    @Test
    void urlencodedBodyWinsOverQueryAndAccessTokenIsRemoved() {
        String id = newRequestId();
        String token = token(111);
        client(id).queryParam("file_id", "1").queryParam("folder_id", "3").queryParam("account_id", "111")
                .formParam("file_id", "9").formParam("access_token", token).formParam("filename", "a b&c=d.txt")
                .post("/api/v2/file/edit").then().statusCode(200);
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals("/api/v2/file/edit", received.path());
        assertEquals("file_id=9&folder_id=3&account_id=111&filename=a+b%26c%3Dd.txt", received.bodyText());
        assertEquals(Long.toString(received.body().length), received.header("Content-Length"));
    }

    @Test
    void multipartFieldsOfOtherEndpointsAreNormalisedToo() throws Exception {
        String id = newRequestId();
        byte[] body = new Multipart("b0undary")
                .field("account_id", "112")
                .field("folder_id", "4")
                .file("ignored", "x.bin", Multipart.randomBytes(5000, 1))
                .field("access_token", token(112))
                .field("filename", "Grüße – 日本.txt")
                .end();
        var response = rawPost("/api/v2/file/edit?folder_id=1&keep=yes", "multipart/form-data; boundary=b0undary",
                java.net.http.HttpRequest.BodyPublishers.ofByteArray(body), Map.of("X-Request-Id", id));
        assertEquals(200, response.statusCode(), response.body());
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals("application/x-www-form-urlencoded; charset=UTF-8", received.header("Content-Type"));
        assertEquals("folder_id=4&keep=yes&account_id=112&filename="
                + java.net.URLEncoder.encode("Grüße – 日本.txt", StandardCharsets.UTF_8), received.bodyText());
    }

    @Test
    void anEarlyRefusalOverHttp2KeepsTheConnectionUsable() throws Exception {
        // HTTP/2 forbids connection-specific headers: a refusal must not carry "Connection: close", and other
        // streams of the same connection must keep working (the JDK client speaks h2c by default).
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        String ip = newClientIp();
        java.net.http.HttpRequest warmUp = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl() + "/api/v2/file/info?" + creds(114)))
                .header("X-Forwarded-For", ip).GET().build();
        java.net.http.HttpResponse<String> first = h2.send(warmUp, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, first.version());
        java.net.http.HttpRequest oversized = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl() + "/api/v2/file/edit?" + creds(114)))
                .header("X-Forwarded-For", ip)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("filename=" + "x".repeat(1024 * 1024 + 10)))
                .build();
        java.net.http.HttpResponse<String> refused = h2.send(oversized,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        // The default tenant is upstream-compatible: the 413 travels as 200 with the error envelope.
        assertEquals(200, refused.statusCode());
        assertTrue(refused.body().contains("\"_status\":\"error\""), refused.body());
        assertTrue(refused.headers().firstValue("connection").isEmpty());
        assertEquals(200, h2.send(warmUp, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void oversizedFormIs413() {
        String big = "x".repeat(1024 * 1024 + 10);
        client(newRequestId()).header("Host", "strict.test").formParam("filename", big)
                .post("/api/v2/file/edit?" + creds(113)).then().statusCode(413);
    }

    @Test
    void forwardsJwtAndInternalHeadersAndStripsClientCopies() {
        String id = newRequestId();
        String ip = newClientIp();
        RestAssured.given()
                .header("X-Request-Id", id)
                .header("X-Forwarded-For", "203.0.113.9, " + ip)
                .header("Authorization", "Bearer forged")
                .header("X-Tenant-Id", "999")
                .header("X-Tenant-Time-Zone", "Mars/Olympus")
                .header("X-Tenant-Strict-Http", "true")
                .header("X-Public-Base-Url", "https://evil.example")
                .header("X-Client-Ip", "6.6.6.6")
                .header("X-Custom", "kept")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .get("/api/v2/file/info?file_id=1&" + creds(120))
                .then().statusCode(200).header("X-Request-Id", id);
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertTrue(received.header("Authorization").startsWith("Bearer jwt-120-1-"), received.header("Authorization"));
        assertEquals(1, received.headers().getAll("Authorization").size());
        assertEquals("1", received.header("X-Tenant-Id"));
        assertEquals("Europe/Berlin", received.header("X-Tenant-Time-Zone"));
        assertEquals("false", received.header("X-Tenant-Strict-Http"));
        assertEquals(1, received.headers().getAll("X-Tenant-Strict-Http").size());
        assertEquals(baseUrl(), received.header("X-Public-Base-Url"));
        // The right-most untrusted hop, not what the client claims further left.
        assertEquals(ip, received.header("X-Client-Ip"));
        assertEquals("kept", received.header("X-Custom"));
        assertNull(received.header("X-Forwarded-For"));
        // Trace context: same trace, the gateway's own span as parent.
        String traceparent = received.header("traceparent");
        assertTrue(traceparent != null && traceparent.startsWith("00-0af7651916cd43dd8448eb211c80319c-"), traceparent);
        assertNotEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", traceparent);
    }

    @Test
    void invalidClientRequestIdIsReplaced() {
        Response response = RestAssured.given().header("X-Forwarded-For", newClientIp())
                .header("X-Request-Id", "bad id with spaces")
                .get("/api/v2/file/info?" + creds(121));
        response.then().statusCode(200).header("X-Request-Id", not(emptyOrNullString()));
        String id = response.header("X-Request-Id");
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertEquals(id, fakes().awaitRequest(id).header("X-Request-Id"));
    }

    @Test
    void tenantComesFromHostAndBaseUrlFromTenantOrTrustedProxy() {
        String id = newRequestId();
        client(id).header("Host", "branded.test").get("/api/v2/file/info?" + creds(122)).then().statusCode(200);
        FakeServices.Recorded branded = fakes().awaitRequest(id);
        assertEquals("3", branded.header("X-Tenant-Id"));
        assertEquals("Asia/Tokyo", branded.header("X-Tenant-Time-Zone"));
        assertEquals("https://files.branded.example", branded.header("X-Public-Base-Url"));

        String viaProxy = newRequestId();
        client(viaProxy).header("X-Forwarded-Host", "files.example.org").header("X-Forwarded-Proto", "https")
                .get("/api/v2/file/info?" + creds(122)).then().statusCode(200);
        assertEquals("https://files.example.org", fakes().awaitRequest(viaProxy).header("X-Public-Base-Url"));

        client(newRequestId()).header("Host", "nosuch.test").get("/api/v2/file/info?" + creds(122)).then()
                .statusCode(404).body("response", equalTo("Unknown site."));
    }

    @Test
    void serviceClientErrorsBecome200ForCompatibleTenantsOnly() {
        client(newRequestId()).header("X-Fake-Status", "404").get("/api/v2/file/info?" + creds(123)).then()
                .statusCode(200).body("response", equalTo("fake 404"));
        client(newRequestId()).header("Host", "strict.test").header("X-Fake-Status", "404")
                .get("/api/v2/file/info?" + creds(123)).then().statusCode(404).body("response", equalTo("fake 404"));
        client(newRequestId()).header("X-Fake-Status", "429").get("/api/v2/file/info?" + creds(123)).then()
                .statusCode(200);
        // Server faults are never rewritten.
        client(newRequestId()).header("X-Fake-Status", "500").get("/api/v2/file/info?" + creds(123)).then()
                .statusCode(500);
    }

    @Test
    void serviceDownIs503() {
        fakes().stop(FakeServices.FOLDER);
        try {
            long start = System.nanoTime();
            client(newRequestId()).get("/api/v2/folder/listing?" + creds(124)).then()
                    .statusCode(503).contentType(JSON_UTF8).header("Retry-After", "5")
                    .body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 3000);
        } finally {
            fakes().restart(FakeServices.FOLDER);
        }
        client(newRequestId()).get("/api/v2/folder/listing?" + creds(124)).then().statusCode(200);
    }

    @Test
    void hangingServiceIs504() {
        long start = System.nanoTime();
        client(newRequestId()).header("X-Fake-Hang", "1").get("/api/v2/file/info?" + creds(125)).then()
                .statusCode(504).body("response", equalTo(ApiMessages.SERVICE_TIMEOUT));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1400 && millis < 5000, "answered after " + millis + " ms");
    }

    @Test
    void authServiceFailureIs503() {
        client(newRequestId()).get("/api/v2/file/info?access_token=auth-down&account_id=126").then()
                .statusCode(503).header("Retry-After", "5").body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
    }

    @Test
    void perIpRateLimit() {
        String ip = newClientIp();
        for (int i = 0; i < 40; i++) {
            // A different account each time: only the address limit is tested here.
            RestAssured.given().header("X-Forwarded-For", ip).header("Host", "strict.test")
                    .get("/api/v2/file/info?" + creds(10_000 + i)).then().statusCode(200);
        }
        RestAssured.given().header("X-Forwarded-For", ip).header("Host", "strict.test")
                .get("/api/v2/file/info?" + creds(127)).then()
                .statusCode(429).contentType(JSON_UTF8).body("response", equalTo(ApiMessages.RATE_LIMITED));
        // Same address, compatible tenant: same answer with HTTP 200.
        RestAssured.given().header("X-Forwarded-For", ip)
                .get("/api/v2/file/info?" + creds(127)).then()
                .statusCode(200).body("response", equalTo(ApiMessages.RATE_LIMITED));
        // Another address is not affected.
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?" + creds(127)).then()
                .statusCode(200);
    }

    @Test
    void perAccountRateLimit() {
        for (int i = 0; i < 25; i++) {
            client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?" + creds(128)).then()
                    .statusCode(200);
        }
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?" + creds(128)).then()
                .statusCode(429).body("response", equalTo(ApiMessages.RATE_LIMITED));
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?" + creds(129)).then()
                .statusCode(200);
    }

    @Test
    void introspectionIsCachedPerTokenAccountAndTenant() {
        String token = token(130);
        client(newRequestId()).get("/api/v2/file/info?access_token=" + token + "&account_id=130").then().statusCode(200);
        client(newRequestId()).get("/api/v2/folder/info?access_token=" + token + "&account_id=130").then().statusCode(200);
        assertEquals(1, fakes().introspections(token));
        // Another tenant: not the cached entry, auth-service is asked.
        client(newRequestId()).header("Host", "strict.test")
                .get("/api/v2/file/info?access_token=" + token + "&account_id=130").then().statusCode(200);
        assertEquals(2, fakes().introspections(token));
        // Another account with the same token: never a cache hit; auth-service refuses.
        client(newRequestId()).header("Host", "strict.test")
                .get("/api/v2/file/info?access_token=" + token + "&account_id=131").then().statusCode(401);
        assertEquals(3, fakes().introspections(token));
        // Refusals are not cached.
        client(newRequestId()).get("/api/v2/file/info?access_token=" + token + "&account_id=131").then().statusCode(200);
        assertEquals(4, fakes().introspections(token));
    }

    @Test
    void disableAccessTokenEvictsTheLocalCacheEntry() {
        String token = token(132);
        String query = "?access_token=" + token + "&account_id=132";
        client(newRequestId()).get("/api/v2/file/info" + query).then().statusCode(200);
        client(newRequestId()).get("/api/v2/disable_access_token" + query).then().statusCode(200);
        assertEquals(1, fakes().introspections(token));
        client(newRequestId()).get("/api/v2/file/info" + query).then().statusCode(200);
        assertEquals(2, fakes().introspections(token));
    }

    @Test
    void publicPathsGoToFileServiceWithoutCredentialsAndUntouched() {
        String id = newRequestId();
        client(id).header("Range", "bytes=0-3").header("Authorization", "Bearer forged")
                .get("/2Vv?download_token=abc123").then()
                .statusCode(206).header("Content-Range", "bytes 0-3/10").header("ETag", "\"fake-etag\"")
                .body(equalTo("0123"));
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals(FakeServices.FILE, received.service());
        assertEquals("GET", received.method());
        assertEquals("/public/2Vv", received.path());
        assertEquals("download_token=abc123", received.query());
        assertEquals("bytes=0-3", received.header("Range"));
        assertNull(received.header("Authorization"));
        assertEquals("1", received.header("X-Tenant-Id"));

        String folder = newRequestId();
        client(folder).get("/folder/12/My_Folder").then().statusCode(200).body(equalTo("0123456789"));
        FakeServices.Recorded folderPage = fakes().awaitRequest(folder);
        assertEquals(FakeServices.FOLDER, folderPage.service());
        assertEquals("/public/folder/12/My_Folder", folderPage.path());

        client(newRequestId()).head("/2Vv~i").then().statusCode(200);
        // Never rewritten, even for a compatible tenant.
        client(newRequestId()).header("X-Fake-Status", "404").get("/2Vv~s").then().statusCode(404)
                .body(equalTo("not here"));
    }

    @Test
    void quarkusPathsAreNotProxiedAndHealthAndMetricsAreNotPublic() {
        String id = newRequestId();
        client(id).get("/q/health/live").then().statusCode(404);
        client(id).get("/q/metrics").then().statusCode(404);
        client(id).get("/q/openapi").then().statusCode(200);
        assertFalse(fakes().anyRequest(r -> id.equals(r.header("X-Request-Id"))));
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        management().get("/q/metrics").then().statusCode(200);
    }
}
