package io.filehost.fileservice;

import io.filehost.fileservice.support.Bucket;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.RawHttp;
import io.filehost.fileservice.support.S3Switch;
import io.filehost.storage.S3Cleanup;
import io.filehost.storage.StorageConfig;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 failing in the middle of an upload. The client hears it at once (not after sending everything),
 * and the abandoned multipart upload is aborted as soon as S3 is back, not left for the orphan sweep.
 */
@QuarkusTest
@QuarkusTestResource(value = S3Switch.class, restrictToAnnotatedClass = true)
class S3OutageUploadTest {
    private static final int MB = 1024 * 1024;
    private static final String BOUNDARY = "----s3-outage-boundary";

    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig storage;

    @Inject
    S3Cleanup cleanup;

    @AfterEach
    void s3Back() throws Exception {
        S3Switch.up();
    }

    @Test
    void s3FailingMidUploadIsAnsweredAtOnceAndTheMultipartUploadAbortedWhenS3IsBack() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename=\"big.bin\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long size = 40L * MB;
        Map<String, String> headers = api.rawHeaders("multipart/form-data; boundary=" + BOUNDARY,
                head.length + size + tail.length);
        byte[] chunk = new byte[64 * 1024];
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, RawHttp.head("/api/v2/file/upload", headers),
                (out, sent) -> {
                    out.write(head);
                    for (long written = 0; written < size; written += chunk.length) {
                        out.write(chunk);
                        out.flush();
                        sent.addAndGet(chunk.length);
                        if (written == 8L * MB) {
                            // The first 5 MiB part is in S3: a multipart upload is under way when S3 dies.
                            S3Switch.down();
                        }
                        Thread.sleep(5);
                    }
                    out.write(tail);
                    out.flush();
                });
        // 500 or 503 is §2's business (the outage mapping); here: an error, at once, and the connection closed.
        assertTrue(answer.status() >= 500, answer.status() + " " + answer.body());
        assertTrue(answer.sentWhenAnswered() < 20L * MB, "answered after " + answer.sentWhenAnswered() + " bytes");
        assertEquals("close", answer.header("Connection"));

        S3Switch.up();
        long deadline = System.currentTimeMillis() + 30_000;
        while (pendingUploads(api) + objects(api) > 0 || cleanup.pending() > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the abandoned multipart upload is still there");
            Thread.sleep(100);
        }
        assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?", api.tenantId));
        assertEquals(0, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
    }

    private long objects(FileApi api) throws Exception {
        return Bucket.objects(minio, storage.bucket(), api.tenantId + "/");
    }

    private long pendingUploads(FileApi api) throws Exception {
        return Bucket.pendingUploads(s3, storage.bucket(), api.tenantId + "/");
    }
}
