package io.filehost.gateway;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helpers shared by the gateway's {@code @QuarkusTest}s. Every request carries its own X-Request-Id (to find what
 * the fake service received) and, through the trusted loopback proxy, its own client address, so the per-IP rate
 * limit only ever bites the test that is about it.
 */
abstract class GatewayTestSupport {
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static FakeServices fakes() {
        return FakeServices.get();
    }

    static String newClientIp() {
        int n = CLIENTS.incrementAndGet();
        return "10." + ((n >> 16) & 0xFF) + "." + ((n >> 8) & 0xFF) + "." + (n & 0xFF);
    }

    static String newRequestId() {
        return "test-" + UUID.randomUUID();
    }

    /** A client with its own address and request id (read it back with {@code header("X-Request-Id")}). */
    static RequestSpecification client(String requestId) {
        return RestAssured.given()
                .header("X-Forwarded-For", newClientIp())
                .header("X-Request-Id", requestId);
    }

    static String creds(long accountId) {
        return "access_token=tok-" + accountId + "-" + UUID.randomUUID() + "&account_id=" + accountId;
    }

    static String token(long accountId) {
        return "tok-" + accountId + "-" + UUID.randomUUID();
    }

    /** Exact bytes and headers, through the JDK client (RestAssured rewrites multipart Content-Types). */
    static HttpResponse<String> rawPost(String pathAndQuery, String contentType, HttpRequest.BodyPublisher body,
                                        Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .header("X-Forwarded-For", newClientIp())
                .POST(body);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String baseUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    /** Health and metrics: the management interface (its own port, not the public one). */
    static io.restassured.specification.RequestSpecification management() {
        return RestAssured.given().port(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.management.test-port", Integer.class));
    }
}
