package io.filehost.fileservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.service.MultipartUpload;
import io.filehost.fileservice.service.FileNames;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.support.Bucket;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.Json;
import io.filehost.fileservice.support.LogCapture;
import io.filehost.fileservice.support.RawHttp;
import io.filehost.storage.StorageConfig;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A malformed or failed upload is answered at once with a 4xx envelope, the connection is closed
 * after the answer (the rest of the body is not read), nothing is left behind and nothing is logged as an error.
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class MalformedUploadTest {
    private static final int MB = 1024 * 1024;
    private static final String BOUNDARY = "----raw-boundary-7MA4YWxkTrZu0gW";

    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig storage;

    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.attach();
    }

    @AfterEach
    void release() {
        log.detach();
    }

    private static PackageLimits quota(long maxStorage) {
        return new PackageLimits(4, true, 0, maxStorage, null, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Map<String, String> headers(FileApi api, String contentType, long length) {
        return api.rawHeaders(contentType, length);
    }

    private static byte[] bytes(String... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String piece : pieces) {
            out.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String filePart(String name, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
    }

    private static String end() {
        return "--" + BOUNDARY + "--\r\n";
    }

    private RawHttp.Answer post(FileApi api, byte[] body) throws Exception {
        return RawHttp.send(RestAssured.port, RawHttp.head("/api/v2/file/upload",
                headers(api, "multipart/form-data; boundary=" + BOUNDARY, body.length)), body);
    }

    private long objects(FileApi api) throws Exception {
        return Bucket.objects(minio, storage.bucket(), api.tenantId + "/");
    }

    private long pendingUploads(FileApi api) throws Exception {
        return Bucket.pendingUploads(s3, storage.bucket(), api.tenantId + "/");
    }

    private void assertNothingLeft(FileApi api) throws Exception {
        assertEquals(0, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
        assertEquals(0, objects(api), "no object under the tenant's prefix");
        assertEquals(0, pendingUploads(api), "no pending multipart upload under the tenant's prefix");
        assertEquals(0, Db.count(dataSource, "select coalesce(sum(used_bytes), 0) from account_usage "
                + "where tenant_id = ?", api.tenantId));
        assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?", api.tenantId),
                "no reservation or upload slot left");
    }

    private void assertRefused(RawHttp.Answer answer, int status, String message) throws Exception {
        assertEquals(status, answer.status(), answer.body());
        JsonNode root = Json.read(answer.body());
        assertEquals("error", root.get("_status").asText());
        assertEquals(message, root.get("response").asText());
    }

    private void assertQuietLog() {
        assertEquals(java.util.List.of(), log.warningsOrTraces(), "nothing logged at WARN/ERROR, no stack trace");
    }

    @Test
    void aQuotaRefusalIsAnsweredBeforeTheBodyIsSentAndTheConnectionClosed() throws Exception {
        FileApi api = FileApi.newAccount(quota(2L * MB));
        byte[] content = new byte[8 * MB];
        Arrays.fill(content, (byte) 'q');
        byte[] head = bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] tail = bytes("\r\n" + end());
        long length = head.length + content.length + tail.length;
        // About 3 MiB/s: the refusal (after 2 MiB) must come while most of the body is still unsent.
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, RawHttp.head("/api/v2/file/upload",
                headers(api, "multipart/form-data; boundary=" + BOUNDARY, length)), (out, sent) -> {
                    out.write(head);
                    for (int offset = 0; offset < content.length; offset += 64 * 1024) {
                        out.write(content, offset, 64 * 1024);
                        out.flush();
                        sent.addAndGet(64 * 1024);
                        Thread.sleep(20);
                    }
                    out.write(tail);
                    out.flush();
                });
        assertRefused(answer, 413, Quotas.STORAGE_FULL);
        assertTrue(answer.sentWhenAnswered() < 5L * MB, "answered after " + answer.sentWhenAnswered() + " bytes");
        assertEquals("close", answer.header("Connection"));
        assertTrue(answer.closedAfter(), "the connection is closed after the answer");
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aNulInTheFileNameIsRefusedWithAClearMessage() throws Exception {
        FileApi api = FileApi.newAccount();
        assertRefused(post(api, bytes(filePart("a\u0000b.txt", "hello"), end())), 400, FileNames.CONTROL_CHARACTERS);
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aBodyWithoutItsClosingBoundaryIsIncomplete() throws Exception {
        FileApi api = FileApi.newAccount();
        assertRefused(post(api, bytes(filePart("a.txt", "hello"))), 400, MultipartUpload.INCOMPLETE);
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aBodyTruncatedInsideTheFileIsIncompleteAndItsMultipartUploadAborted() throws Exception {
        FileApi api = FileApi.newAccount();
        // Beyond one S3 part (5 MiB in tests): a multipart upload is under way when the body ends.
        String content = "t".repeat(6 * MB);
        byte[] body = bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"cut.bin\"\r\n\r\n" + content);
        assertRefused(post(api, body), 400, MultipartUpload.INCOMPLETE);
        assertNothingLeft(api);
        // And the same cut inside the first part (a single PUT never started).
        assertRefused(post(api, bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"cut.bin\"\r\n\r\nabc")), 400, MultipartUpload.INCOMPLETE);
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aPartLargerThanTheDeclaredLengthIsIncomplete() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] body = bytes(filePart("a.txt", "x".repeat(10_000)), end());
        // Content-Length says less than is sent: the body (as declared) ends inside the file part.
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, RawHttp.head("/api/v2/file/upload",
                headers(api, "multipart/form-data; boundary=" + BOUNDARY, body.length - 5_000)), body);
        assertRefused(answer, 400, MultipartUpload.INCOMPLETE);
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aSecondFilePartIsRefusedAndTheFirstNotKept() throws Exception {
        FileApi api = FileApi.newAccount();
        assertRefused(post(api, bytes(filePart("a.txt", "first"), filePart("b.txt", "second"), end())), 400,
                MultipartUpload.SECOND_FILE);
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aFilePartWithoutANameIsNoFile() throws Exception {
        FileApi api = FileApi.newAccount();
        assertRefused(post(api, bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\n"
                + "nameless\r\n", end())), 400, MultipartUpload.NO_FILE);
        assertRefused(post(api, bytes("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n",
                end())), 400, MultipartUpload.NO_FILE);
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void anEmptyOrMissingBoundaryIsMalformed() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] body = bytes(filePart("a.txt", "hello"), end());
        for (String contentType : new String[] {"multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                "multipart/form-data"}) {
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, RawHttp.head("/api/v2/file/upload",
                    headers(api, contentType, body.length)), body);
            assertRefused(answer, 400, MultipartUpload.MALFORMED);
        }
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void garbageInsteadOfParts() throws Exception {
        FileApi api = FileApi.newAccount();
        // No boundary line at all; an unterminated part header section.
        assertEquals(400, post(api, bytes("this is not multipart at all")).status());
        assertEquals(400, post(api, bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"a.txt\"")).status());
        assertNothingLeft(api);
        assertQuietLog();
    }

    @Test
    void aClientVanishingMidFileLeavesNothingAndLogsNoError() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] head = bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"gone.bin\"\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", RestAssured.port)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(RawHttp.head("/api/v2/file/upload", headers(api, "multipart/form-data; boundary=" + BOUNDARY,
                    20L * MB)).getBytes(StandardCharsets.ISO_8859_1));
            out.write(head);
            byte[] chunk = new byte[MB];
            for (int i = 0; i < 7; i++) { // beyond one S3 part: a multipart upload is under way
                out.write(chunk);
            }
            out.flush();
            // Under way once S3 holds a multipart upload for it (an unlimited account reserves no quota to watch).
            long deadline = System.currentTimeMillis() + 20_000;
            while (pendingUploads(api) == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "the upload never got going");
                Thread.sleep(50);
            }
        }
        awaitNothingLeft(api);
        assertQuietLog();
        // Told apart from a body the client completed but cut short: a DEBUG line, no 400 for a client error.
        assertTrue(log.lines().stream().anyMatch(l -> l.message().startsWith("Upload abandoned by the client")),
                log.lines().toString());
    }

    private void awaitNothingLeft(FileApi api) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                assertNothingLeft(api);
                return;
            } catch (AssertionError e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
