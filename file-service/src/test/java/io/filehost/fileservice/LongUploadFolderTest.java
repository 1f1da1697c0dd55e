package io.filehost.fileservice;

import io.filehost.common.testing.TestJwt;
import io.filehost.fileservice.client.RemoteCall;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upload that outlasts the request's internal JWT still lands in the folder it names. The test mints
 * request JWTs that live {@link #JWT_LIFETIME} and sends the file part slower than that; the fake folder-service
 * refuses an expired JWT with 401, as folder-service does. Both field orders, compatible and strict tenants; and a
 * downstream failure is no longer silent.
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class LongUploadFolderTest {
    static final Duration JWT_LIFETIME = Duration.ofSeconds(3);
    /** The file part takes about 4.8 s: 16 pieces of 4 KiB, 300 ms apart. */
    static final int PIECES = 16;
    static final int PIECE = 4096;
    static final long PAUSE_MILLIS = 300;

    @TestHTTPResource("/api/v2/file/upload")
    URI upload;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aFolderFieldBeforeTheFileIsCheckedBeforeTheBytesWithTheRequestsJwt() throws Exception {
        for (boolean strict : new boolean[]{false, true}) {
            int exchangesBefore = FakeFolderService.exchanges();
            uploadLandsInItsFolder(strict, true);
            assertEquals(exchangesBefore, FakeFolderService.exchanges(), "checked with the request's own JWT");
        }
    }

    @Test
    void aFolderFieldAfterTheFileIsCheckedWithAFreshJwt() throws Exception {
        for (boolean strict : new boolean[]{false, true}) {
            int exchangesBefore = FakeFolderService.exchanges();
            uploadLandsInItsFolder(strict, false);
            assertTrue(FakeFolderService.exchanges() > exchangesBefore, "a fresh JWT was obtained");
        }
    }

    private void uploadLandsInItsFolder(boolean strict, boolean folderFirst) throws Exception {
        FileApi api = FileApi.newAccount();
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 3));
        HttpResponse<String> response = slowUpload(api, strict, folder, folderFirst);
        assertEquals(200, response.statusCode(), response.body());
        String fileId = JsonPath.from(response.body()).getString("data[0].file_id");
        api.call("info", "file_id", fileId).then().statusCode(200).body("data.folderId", equalTo(folder))
                .body("data.fileSize", equalTo(Integer.toString(PIECES * PIECE)));
    }

    @Test
    void aFailingFolderServiceIsLoggedWithTheRequestIdAndTheReason() throws Exception {
        FileApi api = FileApi.newAccount();
        String requestId = "long-upload-refused-" + System.nanoTime();
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(RemoteCall.class.getName());
        logger.addHandler(handler);
        try {
            HttpResponse<String> response = slowUpload(api, false,
                    Long.toString(FakeFolderService.failingFolder(api.accountId)), false, requestId);
            assertEquals(503, response.statusCode(), response.body());
        } finally {
            logger.removeHandler(handler);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains(requestId) && w.contains("answered 500")),
                warnings.toString());
        api.call("info", "file_id", "1").then().statusCode(404);
    }

    @Test
    void aFolderNotOwnedAfterALongUploadKeepsTheTenantsRule() throws Exception {
        FileApi api = FileApi.newAccount();
        String othersFolder = Long.toString(FakeFolderService.activeFolder(api.accountId + 1, 1));
        // Strict: refused, and nothing is left behind.
        HttpResponse<String> strict = slowUpload(api, true, othersFolder, false);
        assertEquals(404, strict.statusCode(), strict.body());
        assertEquals("Could not find the destination folder id defined by folder_id.",
                JsonPath.from(strict.body()).getString("response"));
        api.call("info", "file_id", "1").then().statusCode(404);
        // Compatible: the root folder, as upstream does.
        HttpResponse<String> compatible = slowUpload(api, false, othersFolder, false);
        assertEquals(200, compatible.statusCode(), compatible.body());
        api.call("info", "file_id", JsonPath.from(compatible.body()).getString("data[0].file_id"))
                .then().statusCode(200).body("data.folderId", equalTo(null));
    }

    @Test
    void anAccountDisabledDuringTheUploadGetsNoFolderCheck() throws Exception {
        FileApi api = FileApi.newAccount();
        FileApi disabled = api.withAccountId(FakeFolderService.disabledAccount(api.accountId));
        String folder = Long.toString(FakeFolderService.activeFolder(disabled.accountId, 1));
        HttpResponse<String> response = slowUpload(disabled, false, folder, false);
        assertEquals(401, response.statusCode(), response.body());
        disabled.call("info", "file_id", "1").then().statusCode(404);
    }

    /** A multipart upload whose file part arrives slower than the request's JWT lives. */
    private HttpResponse<String> slowUpload(FileApi api, boolean strict, String folderId, boolean folderFirst)
            throws IOException, InterruptedException {
        return slowUpload(api, strict, folderId, folderFirst, "long-upload-" + System.nanoTime());
    }

    private HttpResponse<String> slowUpload(FileApi api, boolean strict, String folderId, boolean folderFirst,
                                            String requestId) throws IOException, InterruptedException {
        String boundary = "slow-" + System.nanoTime();
        String folderPart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"folder_id\"\r\n\r\n"
                + folderId + "\r\n";
        String fileHead = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"slow.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String head = folderFirst ? folderPart + fileHead : fileHead;
        String tail = "\r\n" + (folderFirst ? "" : folderPart) + "--" + boundary + "--\r\n";
        String jwt = TestJwt.forAccount(api.accountId, api.tenantId, api.limits, JWT_LIFETIME);
        HttpRequest request = HttpRequest.newBuilder(upload)
                .header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-Public-Base-Url", FileApi.BASE)
                .header("X-Tenant-Id", Long.toString(api.tenantId))
                .header("X-Tenant-Time-Zone", "UTC")
                .header("X-Tenant-Strict-Http", Boolean.toString(strict))
                .header("X-Request-Id", requestId)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(
                        List.of(ascii(head), new Throttled(PIECES, PIECE, PAUSE_MILLIS), ascii(tail))))))
                .build();
        long began = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(System.nanoTime() - began > JWT_LIFETIME.toNanos(), "the upload outlasted the request's JWT");
        return response;
    }

    private static InputStream ascii(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A sender on a slow link: {@code pieces} pieces of {@code piece} bytes, a pause before each but the first. */
    static final class Throttled extends InputStream {
        private final int pieces;
        private final int piece;
        private final long pauseMillis;
        private long position;

        Throttled(int pieces, int piece, long pauseMillis) {
            this.pieces = pieces;
            this.piece = piece;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            long total = (long) pieces * piece;
            if (position >= total) {
                return -1;
            }
            if (position > 0 && position % piece == 0) {
                try {
                    Thread.sleep(pauseMillis); // the slow link itself, not a wait for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            int n = (int) Math.min(length, piece - position % piece);
            for (int i = 0; i < n; i++) {
                target[offset + i] = (byte) ('a' + (position + i) % 26);
            }
            position += n;
            return n;
        }
    }
}
