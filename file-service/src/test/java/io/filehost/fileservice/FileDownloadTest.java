package io.filehost.fileservice;

import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.service.ShortUrls;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FileDownloadTest {
    private static final String CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz";

    @Inject
    DataSource dataSource;

    private static String publicPath(String downloadUrl) {
        assertTrue(downloadUrl.startsWith(FileApi.BASE + "/"), downloadUrl);
        return downloadUrl.substring(FileApi.BASE.length() + 1);
    }

    @Test
    void downloadAnswersTheDocumentedShapeByIdOrShortUrl() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("data.txt", CONTENT);
        String shortUrl = ShortUrls.encode(Long.parseLong(id));
        String url = api.call("download", "file_id", id).then().statusCode(200)
                .body("data.file_id", equalTo(id)).body("data.filename", equalTo("data.txt"))
                .extract().path("data.download_url");
        assertTrue(url.matches(java.util.regex.Pattern.quote(FileApi.BASE + "/" + shortUrl)
                + "\\?download_token=[0-9a-f]{64}"), url);
        assertEquals(List.of("file_id", "filename", "download_url"), io.filehost.fileservice.support.Json.keys(
                io.filehost.fileservice.support.Json.read(api.call("download", "short_url", shortUrl).asString())
                        .get("data")));
        api.call("download").then().statusCode(400).body("response", equalTo("Please provide the file_id param."));
        api.call("download", "short_url", "zzzzzz").then().statusCode(404)
                .body("response", equalTo("Could not find file based on file_id."));
    }

    @Test
    void theUrlStreamsTheBytesWithValidatorsAndRanges() throws Exception {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("Über report.txt", CONTENT);
        api.call("edit", "file_id", id, "filename", "Über ;\"report\".txt").then().statusCode(200);
        String path = publicPath(api.call("download", "file_id", id).then().extract().path("data.download_url"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(CONTENT.getBytes(StandardCharsets.UTF_8)));

        Response full = api.publicGet(path);
        full.then().statusCode(200)
                .header("Content-Length", Integer.toString(CONTENT.length()))
                .header("Content-Type", "text/plain")
                .header("ETag", "\"" + sha + "\"")
                .header("Accept-Ranges", "bytes")
                .header("Last-Modified", notNullValue())
                .header("Content-Disposition", "attachment; filename=\"_ber ;_report_.txt\"; "
                        + "filename*=UTF-8''%C3%9Cber%20%3B%22report%22.txt");
        assertArrayEquals(CONTENT.getBytes(StandardCharsets.UTF_8), full.asByteArray());
        String lastModified = full.header("Last-Modified");

        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=10-15")
                .get("/public/" + path).then().statusCode(206).header("Content-Range", "bytes 10-15/36")
                .header("Content-Length", "6").body(equalTo("abcdef"));
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=-4")
                .get("/public/" + path).then().statusCode(206).header("Content-Range", "bytes 32-35/36")
                .body(equalTo("wxyz"));
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=30-")
                .get("/public/" + path).then().statusCode(206).body(equalTo("uvwxyz"));
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=36-40")
                .get("/public/" + path).then().statusCode(416).header("Content-Range", "bytes */36");
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=0-3")
                .header("If-Range", "\"" + sha + "\"").get("/public/" + path).then().statusCode(206).body(equalTo("0123"));
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=0-3")
                .header("If-Range", lastModified).get("/public/" + path).then().statusCode(206).body(equalTo("0123"));
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId)).header("Range", "bytes=0-3")
                .header("If-Range", "\"stale\"").get("/public/" + path).then().statusCode(200).body(equalTo(CONTENT));
        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId))
                .head("/public/" + path).then().statusCode(200).header("Content-Length", "36");

        // Counted: the full GET, the two ranges from byte 0, the full answer to a stale If-Range; not the HEAD or the
        // ranges starting later (a resumed download is one download).
        api.call("info", "file_id", id).then().body("data.downloads", equalTo("4"))
                .body("data.lastAccessed", notNullValue());
    }

    @Test
    void aTokenIsBoundToItsFileTenantAndLifetime() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("a.txt", CONTENT);
        String other = api.uploadId("b.txt", "other");
        String path = publicPath(api.call("download", "file_id", id).then().extract().path("data.download_url"));
        String token = path.substring(path.indexOf('=') + 1);
        api.publicGet(ShortUrls.encode(Long.parseLong(other)) + "?download_token=" + token).then().statusCode(403);
        api.otherTenant().publicGet(path).then().statusCode(404);
        api.publicGet(ShortUrls.encode(Long.parseLong(id)) + "?download_token=" + "0".repeat(64)).then().statusCode(403);
        api.publicGet(path).then().statusCode(200);
        Db.update(dataSource, "update download_token set expires_at = now() - interval '1 second' where file_id = ?",
                Long.parseLong(id));
        api.publicGet(path).then().statusCode(403).body(equalTo("This download link is invalid or has expired.\n"));
    }

    @Test
    void aTrashedFileNoLongerServes() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("t.txt", CONTENT);
        String path = publicPath(api.call("download", "file_id", id).then().extract().path("data.download_url"));
        api.publicGet(path).then().statusCode(200);
        api.call("delete", "file_id", id).then().statusCode(200);
        api.publicGet(path).then().statusCode(404);
        api.call("download", "file_id", id).then().statusCode(404);
    }

    @Test
    void theTokenOwnersDownloadLimitsApply() {
        PackageLimits limited = new PackageLimits(3, true, 0, 0, null, 0, 0, 0, 0, 2, 0, 20, 0);
        FileApi api = FileApi.newAccount(limited);
        String big = api.uploadId("big.txt", CONTENT);
        String small = api.uploadId("small.txt", "tiny");
        String bigPath = publicPath(api.call("download", "file_id", big).then().extract().path("data.download_url"));
        api.publicGet(bigPath).then().statusCode(403)
                .body(equalTo("This file is larger than the maximum download size allowed for your account.\n"));
        String smallPath = publicPath(api.call("download", "file_id", small).then().extract().path("data.download_url"));
        api.publicGet(smallPath).then().statusCode(200);
        api.publicGet(smallPath).then().statusCode(200);
        api.publicGet(smallPath).then().statusCode(429)
                .body(equalTo("You have reached the maximum number of downloads allowed in 24 hours.\n"));

        PackageLimits volume = new PackageLimits(3, true, 0, 0, null, 0, 0, 0, 0, 0, 50, 0, 0);
        FileApi vol = FileApi.newAccount(volume);
        String file = vol.uploadId("v.txt", CONTENT);
        String path = publicPath(vol.call("download", "file_id", file).then().extract().path("data.download_url"));
        vol.publicGet(path).then().statusCode(200);
        vol.publicGet(path).then().statusCode(429)
                .body(equalTo("You have reached the maximum download volume allowed in 24 hours.\n"));
    }

    @Test
    void theDownloadSpeedIsThrottled() {
        PackageLimits slow = new PackageLimits(3, true, 0, 0, null, 0, 20_000, 0, 0, 0, 0, 0, 0);
        FileApi api = FileApi.newAccount(slow);
        byte[] content = new byte[30_000];
        String id = api.upload("slow.bin", content).then().statusCode(200).extract().path("data[0].file_id");
        String path = publicPath(api.call("download", "file_id", id).then().extract().path("data.download_url"));
        long began = System.nanoTime();
        assertEquals(30_000, api.publicGet(path).then().statusCode(200).extract().asByteArray().length);
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertTrue(millis >= 1_000, "30 kB at 20 kB/s took only " + millis + " ms");
    }
    /**
     * For the gateway (it says so with {@link InternalHeaders#OBJECT_RELAY}) the answer carries the client's status and
     * headers but no body, and a presigned S3 GET for the bytes: with the Range to ask, the length to expect and the
     * package's speed. The download is checked and counted exactly as when the bytes come from here.
     */
    @Test
    void forTheGatewayTheAnswerNamesTheObjectInsteadOfCarryingIt() throws Exception {
        PackageLimits slow = new PackageLimits(3, true, 0, 0, null, 0, 20_000, 0, 0, 0, 0, 0, 0);
        FileApi api = FileApi.newAccount(slow);
        String id = api.uploadId("relay.txt", CONTENT);
        String path = publicPath(api.call("download", "file_id", id).then().extract().path("data.download_url"));

        Response full = io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId))
                .header(InternalHeaders.OBJECT_RELAY, "1").get("/public/" + path);
        full.then().statusCode(200).header("Content-Type", "text/plain").header("ETag", notNullValue())
                .header("Content-Disposition", notNullValue())
                .header(InternalHeaders.OBJECT_LENGTH, "36").header(InternalHeaders.DOWNLOAD_RATE, "20000")
                .header(InternalHeaders.OBJECT_RANGE, nullValue());
        assertEquals(0, full.asByteArray().length, "the bytes come from S3, not from here");
        assertEquals(CONTENT, fetch(full.header(InternalHeaders.OBJECT_URL), null));

        Response ranged = io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId))
                .header(InternalHeaders.OBJECT_RELAY, "1").header("Range", "bytes=10-15").get("/public/" + path);
        ranged.then().statusCode(206).header("Content-Range", "bytes 10-15/36")
                .header(InternalHeaders.OBJECT_RANGE, "bytes=10-15").header(InternalHeaders.OBJECT_LENGTH, "6");
        assertEquals("abcdef", fetch(ranged.header(InternalHeaders.OBJECT_URL), "bytes=10-15"));

        io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId))
                .header(InternalHeaders.OBJECT_RELAY, "1").header("Range", "bytes=36-40").get("/public/" + path)
                .then().statusCode(416).header(InternalHeaders.OBJECT_URL, nullValue());
        api.call("info", "file_id", id).then().body("data.downloads", equalTo("1"));
    }

    private static String fetch(String presigned, String range) throws Exception {
        java.net.http.HttpRequest.Builder get = java.net.http.HttpRequest.newBuilder(java.net.URI.create(presigned));
        if (range != null) {
            get.header("Range", range);
        }
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> answer = client.send(get.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(range == null ? 200 : 206, answer.statusCode(), answer.body());
            return answer.body();
        }
    }
}
