package io.filehost.fileservice;

import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A killed file-service kept its uploads' quota and slots reserved for 5 minutes (measured 311 s). Now
 * each process heartbeats its open sessions whatever their streams do, and a session without a heartbeat for
 * stale-after is released by the sweep: here 3 s and a 1 s heartbeat (20 s and 5 s in production), so the bound
 * is 4 s plus scheduling slack.
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
@TestProfile(UploadSessionStalenessTest.ShortSessions.class)
class UploadSessionStalenessTest {
    private static final long STALE_MILLIS = 3_000;

    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("filehost.files.upload-session-stale-after", "PT3S",
                    "filehost.files.upload-session-heartbeat", "1s");
        }
    }

    @Inject
    DataSource dataSource;

    private static PackageLimits limits(long storage, int concurrent) {
        return new PackageLimits(4, true, 0, storage, null, concurrent, 0, 0, 0, 0, 0, 0, 0);
    }

    private long sessions(FileApi api) {
        return Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?", api.tenantId);
    }

    private static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, what);
            Thread.sleep(50);
        }
    }

    @Test
    void aDeadProcesssSessionIsReleasedByTheSweepWithinTheBound() throws Exception {
        FileApi api = FileApi.newAccount(limits(100, 1));
        // What a killed process leaves: a session holding the only slot and most of the quota, heartbeat just now.
        long killedAt = System.currentTimeMillis();
        Db.update(dataSource, "insert into upload_session (id, tenant_id, account_id, reserved_bytes, heartbeat_at) "
                + "values (?, ?, ?, 90, now())", UUID.randomUUID(), api.tenantId, api.accountId);
        assertEquals(1, sessions(api));
        // Nobody of the account asks: only the sweep can release it, within stale-after + one heartbeat interval.
        await("the dead session is swept within the bound", STALE_MILLIS + 1_000 + 3_000, () -> sessions(api) == 0);
        long released = System.currentTimeMillis() - killedAt;
        assertTrue(released >= STALE_MILLIS - 200, "not before it is stale: " + released + " ms");
        api.upload("fine.txt", "0123456789".repeat(5)).then().statusCode(200);
    }

    @Test
    void aLiveUploadThatStallsLongerThanTheBoundKeepsItsSession() throws Exception {
        FileApi api = FileApi.newAccount(limits(10_000_000, 2));
        CountDownLatch resume = new CountDownLatch(1);
        InputStream stalling = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent == 256 * 1024) {
                    try {
                        resume.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return sent++ < 512 * 1024 ? 's' : -1;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Response> slow = pool.submit(() -> api.gateway().multiPart("upload_file", "stall.bin", stalling)
                    .post("/api/v2/file/upload"));
            await("the upload started", 20_000, () -> Db.count(dataSource, "select count(*) from upload_session "
                    + "where tenant_id = ? and reserved_bytes > 0", api.tenantId) == 1);
            // The client sends nothing for 2.5 x stale-after; meanwhile another upload of the account opens a session
            // (which drops the account's dead sessions) and the sweep runs several times: the live one must stay.
            long stallUntil = System.currentTimeMillis() + STALE_MILLIS * 5 / 2;
            await("the stall lasts", STALE_MILLIS * 5, () -> {
                assertEquals(1, sessions(api), "the stalled upload's session is kept alive by the heartbeat");
                return System.currentTimeMillis() >= stallUntil;
            });
            api.upload("other.txt", "other").then().statusCode(200);
            assertEquals(1, sessions(api));
            resume.countDown();
            slow.get(30, TimeUnit.SECONDS).then().statusCode(200);
            assertEquals(0, sessions(api));
            assertEquals(512 * 1024 + 5, Db.count(dataSource, "select used_bytes from account_usage "
                    + "where tenant_id = ? and account_id = ?", api.tenantId, api.accountId));
        } finally {
            resume.countDown();
            pool.shutdownNow();
        }
    }
}
