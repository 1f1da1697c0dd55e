package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Remote URL import end to end: gateway → file-service (job + outbox) → Kafka → import-worker (safe fetch from a
 * loopback source, streamed into S3) → Kafka → file-service (file record) → status and download through the gateway.
 */
class UrlImportThroughGatewayTest {
    private static final long MIB = 1024 * 1024;
    private static ImportSource source;
    private static ImportSource forbidden;

    @BeforeAll
    static void servers() throws Exception {
        source = ImportSource.allowed();
        forbidden = ImportSource.forbidden();
    }

    @AfterAll
    static void stop() {
        source.close();
        forbidden.close();
    }

    static String b64(String url) {
        return Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }

    static FileFixtures client(long maxUploadSize) {
        return client(maxUploadSize, 0);
    }

    static FileFixtures client(long maxUploadSize, long maxStorageBytes) {
        return FileFixtures.newClient(Platform.newAccount("demo",
                Platform.newPackage("demo", maxUploadSize, maxStorageBytes, 20)));
    }

    static long schedule(FileFixtures client, String url, String... more) {
        List<String> params = new ArrayList<>(List.of("file_url_base64", b64(url)));
        params.addAll(List.of(more));
        Response response = client.call("url_upload_add", params.toArray(String[]::new));
        response.then().statusCode(200).body("response", equalTo("File download from URL scheduled"))
                .body("data.url", equalTo(url));
        return ((Number) response.path("data.scheduled_item_id")).longValue();
    }

    static JsonNode status(FileFixtures client, long jobId) {
        return Platform.read(client.call("url_upload_status", "scheduled_item_id", Long.toString(jobId)).then()
                .statusCode(200).body("response", equalTo("Scheduled URL file download found")).extract().asString())
                .get("data");
    }

    /** Waits until the job is finished (complete, failed) or {@code until} holds. */
    static JsonNode await(FileFixtures client, long jobId, Duration timeout, java.util.function.Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(client, jobId);
            if (until.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return fail("job " + jobId + " did not get there within " + timeout + ": " + last);
    }

    static JsonNode awaitEnd(FileFixtures client, long jobId, Duration timeout) {
        return await(client, jobId, timeout, s -> List.of("complete", "failed", "cancelled")
                .contains(s.get("status").asText()));
    }

    static String downloadedMd5(FileFixtures client, String fileId) throws Exception {
        String url = client.call("download", "file_id", fileId).then().statusCode(200)
                .extract().path("data.download_url");
        try (InputStream in = FileFixtures.publicUrl().get(url).then().statusCode(200).extract().asInputStream()) {
            return ImportSource.md5Of(in);
        }
    }

    static int rootFileCount(FileFixtures client) {
        JsonNode listing = Platform.read(given().queryParam("access_token", client.accessToken)
                .queryParam("account_id", client.account.accountId()).get("/api/v2/folder/listing").asString());
        return listing.get("data").get("files").size();
    }

    @Test
    void theEndpointsRefuseBadInputWithTheirMessages() {
        FileFixtures client = client(0);
        client.call("url_upload_add").then().statusCode(200).body("_status", equalTo("error"))
                .body("response", equalTo("Please provide the file_url_base64 param."));
        client.call("url_upload_add", "file_url_base64", "%%%").then().statusCode(200)
                .body("response", equalTo("Could not parse the file_url_base64 parameter. Ensure it's base64 encoded."));
        client.call("url_upload_add", "file_url_base64", b64("file:///etc/passwd")).then().statusCode(200)
                .body("response", equalTo("Only http:// and https:// URLs can be imported."));
        client.call("url_upload_status").then().statusCode(200)
                .body("response", equalTo("Please provide the scheduled_item_id param."));
        // another account's job is not found, through the gateway as for files
        long jobId = schedule(client, source.url("/gen/other.bin?size=10"));
        client(0).call("url_upload_status", "scheduled_item_id", Long.toString(jobId)).then().statusCode(200)
                .body("_status", equalTo("error"))
                .body("response", equalTo("Could not find scheduled URL file download based on scheduled_item_id."));
        awaitEnd(client, jobId, Duration.ofSeconds(60));
    }

    @Test
    void anImportCompletesWithTheSourceBytesInTheChosenFolder() throws Exception {
        FileFixtures client = client(0);
        FolderFixtures.Session folders = FolderFixtures.session(client.account);
        String folderId = folders.create("imports", null);
        long size = 3 * MIB + 12_345;
        // throttled to ~2 s so the job is certainly still open when the same URL is scheduled again
        String url = source.url("/gen/x?size=" + size + "&rate=" + 2 * MIB + "&cd="
                + java.net.URLEncoder.encode("Bericht März.bin", StandardCharsets.UTF_8));
        long jobId = schedule(client, url, "folder_id", folderId);
        assertEquals(jobId, schedule(client, url, "folder_id", folderId), "the same URL while open: the same job");

        JsonNode done = awaitEnd(client, jobId, Duration.ofSeconds(60));
        assertEquals("complete", done.get("status").asText(), done.toString());
        assertEquals(List.of("scheduled_item_id", "status", "created", "started", "finished", "total_size",
                "downloaded_file", "downloaded_size"), Platform.keys(done));
        assertEquals(size, done.get("total_size").asLong());
        assertEquals(size, done.get("downloaded_size").asLong());
        JsonNode file = done.get("downloaded_file");
        assertEquals("Bericht März.bin", file.get("name").asText(), "the name from Content-Disposition");
        assertEquals(size, file.get("size").asLong());
        String fileId = file.get("file_id").asText();
        // the same file URL (its host is the gateway each call went through, which alternates in replica mode)
        String path = java.net.URI.create(file.get("url").asText()).getPath();
        client.call("info", "file_id", fileId).then().statusCode(200).body("data.folderId", equalTo(folderId))
                .body("data.url_file", org.hamcrest.Matchers.endsWith(path));
        assertEquals(ImportSource.md5Of(size), downloadedMd5(client, fileId), "the stored bytes are the source's");
    }

    @Test
    void a300MiBImportStreamsThroughTheWorkersSmallHeap() throws Exception {
        // import-worker runs with -Xmx128m (./dev): 300 MiB cannot be held, only streamed
        FileFixtures client = client(0);
        long size = 300 * MIB;
        long jobId = schedule(client, source.url("/gen/big.bin?size=" + size));
        JsonNode done = awaitEnd(client, jobId, Duration.ofSeconds(180));
        assertEquals("complete", done.get("status").asText(), done.toString());
        assertEquals("big.bin", done.get("downloaded_file").get("name").asText(), "the name from the URL path");
        assertEquals(ImportSource.md5Of(size), downloadedMd5(client, done.get("downloaded_file").get("file_id").asText()));
    }

    @Test
    void forbiddenTargetsFailAndTheirServerReceivesNothing() {
        FileFixtures client = client(0);
        int port = forbidden.port();
        List<String> urls = List.of(
                "http://127.0.0.1:" + port + "/gen/a",
                "http://localhost:" + port + "/gen/a",
                "http://127.1:" + port + "/gen/a",
                "http://2130706433:" + port + "/gen/a",
                "http://0x7f000001:" + port + "/gen/a",
                "http://0177.0.0.1:" + port + "/gen/a",
                "http://[::ffff:127.0.0.1]:" + port + "/gen/a",
                "http://[::1]:" + port + "/gen/a",
                // an allowed server redirecting to the forbidden one
                source.url("/redirect?to=http://127.0.0.1:" + port + "/gen/a"),
                source.url("/redirect?to=file:///etc/passwd"));
        List<Long> jobs = new ArrayList<>();
        for (String url : urls) {
            jobs.add(schedule(client, url));
        }
        for (int i = 0; i < jobs.size(); i++) {
            JsonNode end = awaitEnd(client, jobs.get(i), Duration.ofSeconds(60));
            assertEquals("failed", end.get("status").asText(), urls.get(i) + " → " + end);
            assertFalse(end.get("error").asText().isBlank());
            assertTrue(end.get("downloaded_file").isNull());
        }
        assertEquals(0, forbidden.requests.get(), "the forbidden server was never contacted");
        assertEquals(0, rootFileCount(client));
    }

    @Test
    void exceedingTheSizeLimitMidStreamFailsAndStoresNothing() {
        FileFixtures client = client(MIB, MIB);
        // no Content-Length: only the streaming check can stop it
        long jobId = schedule(client, source.url("/gen/huge.bin?size=" + 8 * MIB + "&chunked=1"));
        JsonNode end = awaitEnd(client, jobId, Duration.ofSeconds(60));
        assertEquals("failed", end.get("status").asText(), end.toString());
        assertTrue(end.get("error").asText().contains("larger than"), end.toString());
        assertEquals(0, rootFileCount(client));
        // and no quota was used: a file of exactly the whole quota still fits
        long ok = schedule(client, source.url("/gen/ok.bin?size=" + MIB));
        assertEquals("complete", awaitEnd(client, ok, Duration.ofSeconds(60)).get("status").asText());
        assertEquals(1, rootFileCount(client));
    }
}
