package io.filehost.fileservice.support;

import io.filehost.common.internal.PackageLimits;
import io.filehost.common.testing.TestJwt;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.MultiPartConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.apache.http.entity.mime.HttpMultipartMode;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Calls file-service as the gateway does: internal JWT, gateway headers, normalised form or raw multipart. */
public final class FileApi {
    public static final String BASE = "https://files.example.test";

    /** Browsers send multipart file names as raw UTF-8; REST Assured's default strict mode would write ASCII. */
    private static final RestAssuredConfig UTF8_MULTIPART = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig().httpMultipartMode(HttpMultipartMode.BROWSER_COMPATIBLE))
            .multiPartConfig(MultiPartConfig.multiPartConfig().defaultCharset(StandardCharsets.UTF_8));

    public final long tenantId;
    public final long accountId;
    public final PackageLimits limits;

    private FileApi(long tenantId, long accountId, PackageLimits limits) {
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.limits = limits;
    }

    /** A fresh tenant and account per test: S3 prefixes and rows never collide with other tests or runs. */
    public static FileApi newAccount() {
        return newAccount(TestJwt.unlimited());
    }

    public static FileApi newAccount(PackageLimits limits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new FileApi(random.nextLong(1_000, 1_000_000_000), random.nextLong(1_000, 1_000_000), limits);
    }

    /** Another account of the same tenant. */
    public FileApi sibling() {
        return new FileApi(tenantId, accountId + 1, limits);
    }

    /** The same account number in another tenant. */
    public FileApi otherTenant() {
        return new FileApi(tenantId + 1, accountId, limits);
    }

    /** Another account number in the same tenant. */
    public FileApi withAccountId(long other) {
        return new FileApi(tenantId, other, limits);
    }

    public FileApi withLimits(PackageLimits other) {
        return new FileApi(tenantId, accountId, other);
    }

    public String jwt() {
        return TestJwt.forAccount(accountId, tenantId, limits, Duration.ofMinutes(5));
    }

    public RequestSpecification gateway() {
        return given().config(UTF8_MULTIPART).header("Authorization", "Bearer " + jwt())
                .header("X-Public-Base-Url", BASE)
                .header("X-Tenant-Id", Long.toString(tenantId))
                .header("X-Tenant-Time-Zone", "UTC")
                .header("X-Client-Ip", "203.0.113.7")
                .header("X-Request-Id", "test-" + System.nanoTime());
    }

    /** The same headers for a hand-made request ({@link RawHttp}); {@code length} &lt; 0: no Content-Length. */
    public Map<String, String> rawHeaders(String contentType, long length) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + jwt());
        headers.put("X-Public-Base-Url", BASE);
        headers.put("X-Tenant-Id", Long.toString(tenantId));
        headers.put("X-Tenant-Time-Zone", "UTC");
        headers.put("X-Client-Ip", "203.0.113.7");
        headers.put("X-Request-Id", "test-" + System.nanoTime());
        headers.put("Content-Type", contentType);
        if (length >= 0) {
            headers.put("Content-Length", Long.toString(length));
        }
        return headers;
    }

    public Response call(String action, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            form.put(params[i], params[i + 1]);
        }
        RequestSpecification request = gateway().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        if (!form.isEmpty()) {
            request.formParams(form);
        }
        return request.post("/api/v2/file/" + action);
    }

    public Response upload(String name, byte[] content) {
        return gateway().multiPart("upload_file", name, content, "application/octet-stream")
                .post("/api/v2/file/upload");
    }

    public Response upload(String name, String content) {
        return upload(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Uploads and returns the new file's id. */
    public String uploadId(String name, String content) {
        return upload(name, content).then().statusCode(200).extract().path("data[0].file_id");
    }

    public Response publicGet(String shortUrlAndQuery) {
        return given().header("X-Tenant-Id", Long.toString(tenantId)).redirects().follow(false)
                .get("/public/" + shortUrlAndQuery);
    }
}
