package io.filehost.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** file/upload: credentials anywhere, byte-identical streamed forwarding, the spool path and its bounds. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class GatewayUploadTest extends GatewayTestSupport {

    @Inject
    MeterRegistry registry;

    private double spooled() {
        return registry.counter("gateway.upload.spooled").count();
    }

    private FakeServices.Recorded upload(String query, Multipart multipart, byte[] body, boolean withLength)
            throws IOException, InterruptedException {
        String id = newRequestId();
        var publisher = withLength
                ? BodyPublishers.ofByteArray(body)
                : BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        HttpResponse<String> response = rawPost("/api/v2/file/upload" + query, multipart.contentType(), publisher,
                Map.of("X-Request-Id", id));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"service\":\"file\""), response.body());
        return fakes().awaitRequest(id);
    }

    @Test
    void credentialsBeforeTheFileAreFoundAndTheBodyForwardedByteForByte() throws Exception {
        Multipart multipart = new Multipart("----WebKitFormBoundary7MA4YWxkTrZu0gW");
        byte[] body = multipart
                .field("access_token", token(200))
                .field("account_id", "200")
                .field("folder_id", "5")
                .file("upload_file", "report.pdf", Multipart.randomBytes(300_000, 7))
                .end();
        FakeServices.Recorded received = upload("", multipart, body, true);
        assertEquals("POST", received.method());
        assertEquals("/api/v2/file/upload", received.path());
        assertEquals(multipart.contentType(), received.header("Content-Type"));
        assertEquals(Integer.toString(body.length), received.header("Content-Length"));
        assertArrayEquals(body, received.body());
        assertTrue(received.header("Authorization").startsWith("Bearer jwt-200-1-"));
        assertEquals("1", received.header("X-Tenant-Id"));
    }

    @Test
    void credentialsInTheQueryStartTheStreamAtOnceAndTheTokenLeavesTheQuery() throws Exception {
        Multipart multipart = new Multipart("q-boundary");
        byte[] body = multipart.file("upload_file", "a.bin", Multipart.randomBytes(50_000, 8)).end();
        String token = token(201);
        FakeServices.Recorded received = upload("?access_token=" + token + "&account_id=201&folder_id=7",
                multipart, body, true);
        assertEquals("account_id=201&folder_id=7", received.query());
        assertArrayEquals(body, received.body());
    }

    @Test
    void credentialsAfterASmallFileAreFoundInMemory() throws Exception {
        Multipart multipart = new Multipart("after-small");
        byte[] body = multipart
                .file("upload_file", "small.txt", Multipart.randomBytes(10_000, 9))
                .field("account_id", "202")
                .field("access_token", token(202))
                .end();
        double spooledBefore = spooled();
        FakeServices.Recorded received = upload("", multipart, body, true);
        assertEquals(spooledBefore, spooled(), "10 kB stay in memory");
        assertArrayEquals(body, received.body());
    }

    @Test
    void credentialsAfterALargeFileAreFoundThroughTheSpoolFile() throws Exception {
        Multipart multipart = new Multipart("after-large-7d1f");
        byte[] file = Multipart.randomBytes(6 * 1024 * 1024, 10);
        byte[] body = multipart
                .field("folder_id", "3")
                .file("upload_file", "big.bin", file)
                .field("access_token", token(203))
                .field("account_id", "203")
                .end();
        double spooledBefore = spooled();
        FakeServices.Recorded received = upload("", multipart, body, true);
        assertEquals(body.length, received.length());
        assertEquals(md5(body), received.md5());
        assertEquals(spooledBefore + 1, spooled(), "the recording went through the spool file");
        assertSpoolEmpty();
    }

    @Test
    void oneCredentialInTheQueryTheOtherInTheBody() throws Exception {
        Multipart multipart = new Multipart("mixed");
        byte[] body = multipart
                .file("upload_file", "x.bin", Multipart.randomBytes(400_000, 11))
                .field("account_id", "204")
                .end();
        FakeServices.Recorded received = upload("?access_token=" + token(204), multipart, body, true);
        assertEquals(md5(body), received.md5());
        assertEquals("", received.query() == null ? "" : received.query());
    }

    @Test
    void chunkedUploadsStayChunked() throws Exception {
        Multipart multipart = new Multipart("chunked-b");
        byte[] body = multipart
                .field("account_id", "205")
                .file("upload_file", "c.bin", Multipart.randomBytes(2 * 1024 * 1024, 12))
                .field("access_token", token(205))
                .end();
        FakeServices.Recorded received = upload("", multipart, body, false);
        assertNull(received.header("Content-Length"));
        assertEquals("chunked", received.header("Transfer-Encoding"));
        assertEquals(md5(body), received.md5());
        assertEquals(body.length, received.length());
    }

    @Test
    void missingCredentialsInAnUploadAreReported() throws Exception {
        Multipart multipart = new Multipart("no-creds");
        byte[] body = multipart.field("account_id", "206")
                .file("upload_file", "x.bin", Multipart.randomBytes(20_000, 13)).end();
        HttpResponse<String> response = rawPost("/api/v2/file/upload", multipart.contentType(),
                BodyPublishers.ofByteArray(body), Map.of());
        // Default tenant is upstream-compatible: HTTP 200 with the error envelope.
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("Please provide the access_token param."), response.body());

        byte[] noAccount = new Multipart("no-creds").field("access_token", token(206)).end();
        response = rawPost("/api/v2/file/upload", multipart.contentType(), BodyPublishers.ofByteArray(noAccount),
                Map.of());
        assertTrue(response.body().contains("Please provide the account_id param."), response.body());
    }

    @Test
    void malformedMultipartIsRefused() throws Exception {
        HttpResponse<String> response = rawPost("/api/v2/file/upload", "multipart/form-data; boundary=nowhere",
                BodyPublishers.ofString("this body has no boundary at all"), Map.of());
        assertTrue(response.body().contains("Could not read the multipart/form-data request body."), response.body());
        response = rawPost("/api/v2/file/upload", "multipart/form-data",
                BodyPublishers.ofString("--x\r\n\r\n--x--"), Map.of());
        assertTrue(response.body().contains("Could not read the multipart/form-data request body."), response.body());
    }

    @Test
    void tooMuchBeforeTheCredentialsIs413() throws Exception {
        // Test spool limit: 16 MiB.
        Multipart multipart = new Multipart("too-much");
        byte[] body = multipart
                .file("upload_file", "huge.bin", Multipart.randomBytes(17 * 1024 * 1024, 14))
                .field("access_token", token(207))
                .field("account_id", "207")
                .end();
        String id = newRequestId();
        HttpResponse<String> response = rawPost("/api/v2/file/upload", multipart.contentType(),
                BodyPublishers.ofByteArray(body), Map.of("X-Request-Id", id));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("send access_token and account_id before upload_file"), response.body());
        assertFalse(fakes().anyRequest(r -> id.equals(r.header("X-Request-Id"))));
        assertSpoolEmpty();
    }

    @Test
    void refusedUploadNeverReachesFileService() throws Exception {
        Multipart multipart = new Multipart("refused");
        byte[] body = multipart.field("access_token", "not-a-token").field("account_id", "208")
                .file("upload_file", "x.bin", Multipart.randomBytes(100_000, 15)).end();
        String id = newRequestId();
        HttpResponse<String> response = rawPost("/api/v2/file/upload", multipart.contentType(),
                BodyPublishers.ofByteArray(body), Map.of("X-Request-Id", id));
        assertTrue(response.body().contains("Could not validate access_token and account_id"), response.body());
        assertFalse(fakes().anyRequest(r -> id.equals(r.header("X-Request-Id"))));
    }

    private static void assertSpoolEmpty() throws Exception {
        Path spool = Path.of("target/test-spool");
        long deadline = System.currentTimeMillis() + 5000;
        long left;
        do {
            try (Stream<Path> files = Files.list(spool)) {
                left = files.count();
            }
            if (left == 0) {
                return;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        assertEquals(0, left, "spool files left behind");
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
