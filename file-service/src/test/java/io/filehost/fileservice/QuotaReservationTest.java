package io.filehost.fileservice;

import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload reserves quota in a few large steps, not one transaction per MiB (it took 40 for 40 MiB), and
 * still ends with exactly the file's bytes used and nothing reserved. Counted with the reservation counter (each
 * step is one PostgreSQL transaction).
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class QuotaReservationTest {
    private static final int MIB = 1024 * 1024;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    private static PackageLimits quota(long bytes) {
        return new PackageLimits(4, true, 0, bytes, null, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private double reservations() {
        return registry.counter("filehost.upload.quota.reservations").count();
    }

    /** {@code size} bytes of unknown length: sent chunked, so the upload cannot know the size up front. */
    private static InputStream chunked(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'q' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'q');
                left -= n;
                return n;
            }
        };
    }

    /** A multipart body sent with its Content-Length (RestAssured streams its own multipart bodies chunked). */
    private static io.restassured.response.Response declared(FileApi api, String name, int size) {
        String boundary = "declared-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + size + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        Arrays.fill(body, head.length, head.length + size, (byte) 'd');
        System.arraycopy(tail, 0, body, head.length + size, tail.length);
        return api.gateway().contentType("multipart/form-data; boundary=" + boundary).body(body)
                .post("/api/v2/file/upload");
    }

    private void assertUsedExactly(FileApi api, long bytes) {
        assertEquals(bytes, Db.count(dataSource, "select used_bytes from account_usage where tenant_id = ? "
                + "and account_id = ?", api.tenantId, api.accountId), "the unused part of the reservation is released");
        assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?", api.tenantId));
    }

    @Test
    void anUploadOfUnknownLengthReservesInDoublingSteps() {
        FileApi api = FileApi.newAccount(quota(10L * 1024 * MIB));
        double before = reservations();
        api.gateway().multiPart("upload_file", "forty.bin", chunked(40L * MIB)).post("/api/v2/file/upload")
                .then().statusCode(200).body("data[0].size", equalTo(Integer.toString(40 * MIB)));
        double steps = reservations() - before;
        // 8 + 8 + 16 + 32 MiB: four transactions (one per MiB before: 40). A GiB takes 9 (ReservationStepsTest).
        assertEquals(4, steps, "reservation transactions for 40 MiB");
        assertUsedExactly(api, 40L * MIB);
    }

    @Test
    void aDeclaredLengthIsReservedInOneStep() {
        FileApi api = FileApi.newAccount(quota(10L * 1024 * MIB));
        double before = reservations();
        declared(api, "declared.bin", 24 * MIB).then().statusCode(200);
        assertEquals(1, reservations() - before, "one reservation transaction for a declared body");
        assertUsedExactly(api, 24L * MIB);
    }

    @Test
    void anAccountWithoutQuotaReservesNothing() {
        FileApi api = FileApi.newAccount(quota(0));
        double before = reservations();
        api.gateway().multiPart("upload_file", "free.bin", chunked(12L * MIB)).post("/api/v2/file/upload")
                .then().statusCode(200);
        assertEquals(0, reservations() - before);
        assertUsedExactly(api, 12L * MIB);
    }

    @Test
    void nearTheQuotaTheStepsShrinkAndTheRefusalIsUnchanged() {
        FileApi api = FileApi.newAccount(quota(10L * MIB));
        // 8 MiB of unknown length under a 10 MiB quota: the first 8 MiB step would take most of the room; it takes at
        // most half of it ahead of the bytes, and the upload still succeeds.
        api.gateway().multiPart("upload_file", "eight.bin", chunked(8L * MIB)).post("/api/v2/file/upload")
                .then().statusCode(200);
        assertUsedExactly(api, 8L * MIB);
        api.gateway().multiPart("upload_file", "three.bin", chunked(3L * MIB)).post("/api/v2/file/upload")
                .then().statusCode(413).body("response", equalTo(Quotas.STORAGE_FULL));
        declared(api, "three-declared.bin", 3 * MIB).then().statusCode(413)
                .body("response", equalTo(Quotas.STORAGE_FULL));
        assertUsedExactly(api, 8L * MIB);
        declared(api, "two.bin", 2 * MIB - 1024).then().statusCode(200);
        assertUsedExactly(api, 10L * MIB - 1024);
        assertTrue(Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId) == 2);
    }
}
