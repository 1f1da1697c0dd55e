package io.filehost.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The gateway's metrics as Prometheus scrapes them from /q/metrics, after the action each one counts. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class GatewayMetricsTest extends GatewayTestSupport {

    /** The value of the first series whose name and labels match, or {@code absent}. */
    static double metric(String name, String labelsRegex, double absent) {
        String body = management().get("/q/metrics").then().statusCode(200).extract().asString();
        // Series without labels are written without braces; an OpenTelemetry exemplar may follow the value.
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{" + labelsRegex + "})? (\\S+)(?: #.*)?$")
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : absent;
    }


    private static String labels(String... nameValues) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            regex.append("(?=[^}]*\\b").append(nameValues[i]).append("=\"").append(Pattern.quote(nameValues[i + 1]))
                    .append("\")");
        }
        return regex.append("[^}]*").toString();
    }

    @Test
    void requestsAreTimedByRouteAndStatusClass() {
        String series = labels("endpoint", "folder/listing", "kind", "api", "status", "200", "status_class", "2xx");
        double before = metric("gateway_requests_seconds_count", series, 0);
        client(newRequestId()).get("/api/v2/FOLDER/Listing?" + creds(9401)).then().statusCode(200);
        assertEquals(before + 1, metric("gateway_requests_seconds_count", series, 0));
        assertTrue(metric("gateway_requests_seconds_sum", series, -1) > 0);

        String unknown = labels("endpoint", "unknown", "status_class", "4xx");
        double unknownBefore = metric("gateway_requests_seconds_count", unknown, 0);
        client(newRequestId()).get("/api/v2/no-such-thing-" + System.nanoTime()).then().statusCode(404);
        assertEquals(unknownBefore + 1, metric("gateway_requests_seconds_count", unknown, 0));
        String body = management().get("/q/metrics").then().extract().asString();
        assertTrue(!body.contains("no-such-thing"), "a raw path became a tag");
    }

    @Test
    void uploadedAndDownloadedBytesAreCounted() throws Exception {
        double uploadedBefore = metric("gateway_upload_bytes_total", "[^}]*", 0);
        Multipart multipart = new Multipart("metrics-boundary");
        byte[] body = multipart.file("upload_file", "m.bin", Multipart.randomBytes(70_000, 3)).end();
        HttpResponse<String> response = rawPost("/api/v2/file/upload?" + creds(9402), multipart.contentType(),
                HttpRequest.BodyPublishers.ofByteArray(body), java.util.Map.of());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(uploadedBefore + body.length, metric("gateway_upload_bytes_total", "[^}]*", 0));

        double downloadedBefore = metric("gateway_download_bytes_total", "[^}]*", 0);
        client(newRequestId()).get("/2Vv?download_token=00ff").then().statusCode(200);
        assertEquals(downloadedBefore + 10, metric("gateway_download_bytes_total", "[^}]*", 0));
    }

    @Test
    void activeUploadsAreAGaugeOfUploadsInFlight() throws Exception {
        assertEquals(0, metric("gateway_uploads_active", "[^}]*", -1));
        Multipart multipart = new Multipart("hang-boundary");
        byte[] body = multipart.file("upload_file", "h.bin", Multipart.randomBytes(10_000, 4)).end();
        // The fake file-service reads the upload and never answers: in flight until the idle timeout (504).
        CompletableFuture<HttpResponse<String>> hanging = HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/api/v2/file/upload?" + creds(9403)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", multipart.contentType())
                .header("X-Forwarded-For", newClientIp())
                .header("X-Fake-Hang", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        await("one upload in flight", () -> metric("gateway_uploads_active", "[^}]*", -1) == 1);
        assertEquals(504, hanging.get().statusCode());
        await("no upload in flight", () -> metric("gateway_uploads_active", "[^}]*", -1) == 0);
    }

    @Test
    void rateLimitRejectionsAreCountedByKind() {
        double ipBefore = metric("gateway_rate_limited_total", labels("limit", "ip"), 0);
        double accountBefore = metric("gateway_rate_limited_total", labels("limit", "account"), 0);
        String ip = newClientIp();
        for (int i = 0; i < 40; i++) {
            RestAssured.given().header("X-Forwarded-For", ip).get("/api/v2/file/info?" + creds(20_000 + i))
                    .then().statusCode(200);
        }
        RestAssured.given().header("X-Forwarded-For", ip).header("Host", "strict.test")
                .get("/api/v2/file/info?" + creds(9404)).then().statusCode(429);
        assertEquals(ipBefore + 1, metric("gateway_rate_limited_total", labels("limit", "ip"), 0));

        // Buckets are per tenant and account: all in the strict tenant.
        for (int i = 0; i < 25; i++) {
            client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?" + creds(9405)).then()
                    .statusCode(200);
        }
        client(newRequestId()).header("Host", "strict.test").get("/api/v2/file/info?" + creds(9405)).then()
                .statusCode(429);
        assertEquals(accountBefore + 1, metric("gateway_rate_limited_total", labels("limit", "account"), 0));
        assertEquals(ipBefore + 1, metric("gateway_rate_limited_total", labels("limit", "ip"), 0));
    }

    @Test
    void introspectionCacheHitsAndMissesAreCounted() {
        double hits = metric("gateway_introspection_cache_total", labels("result", "hit"), 0);
        double misses = metric("gateway_introspection_cache_total", labels("result", "miss"), 0);
        String token = token(9406);
        client(newRequestId()).get("/api/v2/file/info?access_token=" + token + "&account_id=9406").then().statusCode(200);
        assertEquals(misses + 1, metric("gateway_introspection_cache_total", labels("result", "miss"), 0));
        client(newRequestId()).get("/api/v2/account/info?access_token=" + token + "&account_id=9406").then().statusCode(200);
        assertEquals(hits + 1, metric("gateway_introspection_cache_total", labels("result", "hit"), 0));
        assertEquals(misses + 1, metric("gateway_introspection_cache_total", labels("result", "miss"), 0));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
