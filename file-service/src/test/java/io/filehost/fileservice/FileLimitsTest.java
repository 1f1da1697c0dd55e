package io.filehost.fileservice;

import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.support.Bucket;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.storage.StorageConfig;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FileLimitsTest {
    private static final int MB = 1024 * 1024;

    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    private static PackageLimits limits(long maxUpload, long maxStorage, int concurrent) {
        return new PackageLimits(4, true, maxUpload, maxStorage, null, concurrent, 0, 0, 0, 0, 0, 0, 0);
    }

    private long objects(FileApi api) throws Exception {
        return Bucket.objects(minio, storage.bucket(), api.tenantId + "/");
    }

    private void assertNothingLeft(FileApi api) throws Exception {
        assertEquals(0, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
        assertEquals(0, objects(api), "no object, no multipart leftover under the tenant's prefix");
        assertEquals(0, Db.count(dataSource, "select coalesce(sum(used_bytes), 0) from account_usage "
                + "where tenant_id = ?", api.tenantId));
        assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?", api.tenantId),
                "no reservation or upload slot left");
    }

    /** A stream of {@code size} bytes of unknown length: sent chunked, so only the streaming check can stop it. */
    private static InputStream stream(long size, byte fill) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? fill : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, fill);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void anUploadOverTheMaxSizeIsAbortedWhileStreamingAndLeavesNothing() throws Exception {
        FileApi api = FileApi.newAccount(limits(6L * MB, 0, 0));
        // Beyond one S3 part (5 MiB in tests), so a real multipart upload is started and must be aborted.
        api.gateway().multiPart("upload_file", "huge.bin", stream(12L * MB, (byte) 7)).post("/api/v2/file/upload")
                .then().statusCode(413)
                .body("response", equalTo("The file is larger than the maximum upload size allowed for your account "
                        + "(6291456 bytes)."));
        assertNothingLeft(api);
        // With a declared length the refusal comes before a byte is read.
        api.upload("declared.bin", new byte[7 * MB]).then().statusCode(413);
        assertNothingLeft(api);
        // Exactly at the limit is fine.
        api.gateway().multiPart("upload_file", "exact.bin", stream(6L * MB, (byte) 8)).post("/api/v2/file/upload")
                .then().statusCode(200).body("data[0].size", equalTo(Integer.toString(6 * MB)));
    }

    @Test
    void parallelUploadsNeverExceedTheQuotaTogether() throws Exception {
        long quota = 100_000;
        FileApi api = FileApi.newAccount(limits(0, quota, 0));
        int uploads = 8;
        int size = 30_000;
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                byte fill = (byte) i;
                results.add(pool.submit(() -> api.gateway()
                        .multiPart("upload_file", "part" + fill + ".bin", stream(size, fill))
                        .post("/api/v2/file/upload")));
            }
            int ok = 0;
            for (Future<Response> result : results) {
                Response response = result.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    assertEquals(413, response.statusCode(), response.asString());
                    assertEquals(Quotas.STORAGE_FULL, response.path("response"));
                }
            }
            assertTrue(ok >= 1 && ok <= 3, ok + " uploads succeeded");
            assertEquals((long) ok * size, Db.count(dataSource, "select used_bytes from account_usage "
                    + "where tenant_id = ? and account_id = ?", api.tenantId, api.accountId));
            assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?",
                    api.tenantId));
            assertEquals(ok, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
            assertEquals(ok, objects(api));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trashingFreesQuotaAndCopyingTakesIt() {
        FileApi api = FileApi.newAccount(limits(0, 25, 0));
        String id = api.uploadId("ten.txt", "0123456789");
        String second = api.uploadId("ten2.txt", "abcdefghij");
        api.call("copy", "file_id", id, "copy_to_folder_id", "null").then().statusCode(413)
                .body("response", equalTo(Quotas.STORAGE_FULL));
        api.call("delete", "file_id", second).then().statusCode(200);
        api.call("copy", "file_id", id, "copy_to_folder_id", "null").then().statusCode(200)
                .body("new_file.data.filename", equalTo("ten (2).txt"));
        api.upload("more.txt", "0123456789").then().statusCode(413);
    }

    @Test
    void aCrashedUploadsSessionIsReclaimedOnceItsHeartbeatStops() {
        FileApi api = FileApi.newAccount(limits(0, 100, 1));
        // What a process that died mid-upload leaves: a session holding a slot and most of the quota.
        Db.update(dataSource, "insert into upload_session (id, tenant_id, account_id, reserved_bytes, heartbeat_at) "
                        + "values (?, ?, ?, 90, now())", java.util.UUID.randomUUID(), api.tenantId, api.accountId);
        api.upload("blocked.txt", "x").then().statusCode(429);
        Db.update(dataSource, "update upload_session set heartbeat_at = now() - interval '1 hour' where tenant_id = ?",
                api.tenantId);
        api.upload("fine.txt", "0123456789".repeat(5)).then().statusCode(200);
        assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?", api.tenantId));
    }

    @Test
    void concurrentUploadsAreLimitedAndTheBodyIsStreamed() throws Exception {
        FileApi api = FileApi.newAccount(limits(0, 0, 1));
        CountDownLatch release = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                // Past any client-side chunk buffer: the server has the start of the body, never its end.
                if (sent == 256 * 1024) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return sent++ < 512 * 1024 ? 'x' : -1;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Response> first = pool.submit(() -> api.gateway().multiPart("upload_file", "slow.txt", slow)
                    .post("/api/v2/file/upload"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (Db.query(dataSource, "select id from upload_session where tenant_id = ?",
                    api.tenantId).isEmpty()) {
                assertTrue(System.currentTimeMillis() < deadline, "the first upload never started");
                Thread.sleep(50);
            }
            api.upload("second.txt", "second").then().statusCode(429)
                    .body("response", equalTo(Quotas.TOO_MANY_UPLOADS));
            release.countDown();
            first.get(30, TimeUnit.SECONDS).then().statusCode(200);
            api.upload("third.txt", "third").then().statusCode(200);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
