package io.filehost.fileservice;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.TusProtocol;
import io.filehost.common.testing.LogCapture;
import io.filehost.fileservice.support.Bucket;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.S3Faults;
import io.filehost.storage.StorageConfig;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 answering "try again" with an error document — a 5xx {@code InternalError}/{@code SlowDown}, or a 200 whose body
 * is an {@code <Error>} (how S3 fails a CompleteMultipartUpload it has already begun to answer; S3Proxy did it on a
 * full disk) — is an outage: 503 with Retry-After, no file, no quota, no object left; never a 500. A resumable
 * upload whose completion S3 refused keeps its bytes, and the client's next HEAD finishes it.
 */
@QuarkusTest
@QuarkusTestResource(value = S3Faults.class, restrictToAnnotatedClass = true)
class S3ErrorAnswersTest {
    private static final int MB = 1024 * 1024;
    private static final String TUS = "/api/v2/file/tus";
    private static final S3Faults.Fault COMPLETE_500 = new S3Faults.Fault("POST", "uploadId=", 500, "InternalError");
    private static final S3Faults.Fault COMPLETE_200 = new S3Faults.Fault("POST", "uploadId=", 200, "InternalError");
    private static final S3Faults.Fault PART_SLOW_DOWN = new S3Faults.Fault("PUT", "partNumber=", 503, "SlowDown");

    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig storage;

    @AfterEach
    void noFault() {
        S3Faults.clear();
    }

    @Test
    void anUploadS3RefusesToStoreIsA503AndLeavesNothing() throws Exception {
        for (S3Faults.Fault fault : List.of(COMPLETE_500, COMPLETE_200, PART_SLOW_DOWN)) {
            FileApi api = FileApi.newAccount();
            S3Faults.inject(fault);
            try (LogCapture logs = LogCapture.start()) {
                api.upload("big.bin", bytes(12 * MB, 1)).then().statusCode(503).header("Retry-After", "5")
                        .body("status", equalTo("error")).body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
                assertTrue(S3Faults.answered() > 0, fault + " was never asked for: the test proves nothing");
                assertEquals(List.of(), logs.atOrAbove(Level.SEVERE).stream().map(LogCapture::text).toList(),
                        fault + ": S3 saying 'try again' is not an error of ours");
            }
            S3Faults.clear();
            assertEquals(0, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?",
                    api.tenantId), fault.toString());
            assertEquals(0, Db.count(dataSource, "select coalesce(sum(used_bytes), 0) from account_usage "
                    + "where tenant_id = ?", api.tenantId), fault + ": no quota consumed");
            assertEquals(0, Db.count(dataSource, "select count(*) from upload_session where tenant_id = ?",
                    api.tenantId), fault.toString());
            long deadline = System.currentTimeMillis() + 30_000;
            while (Bucket.objects(minio, storage.bucket(), api.tenantId + "/")
                    + Bucket.pendingUploads(s3, storage.bucket(), api.tenantId + "/") > 0) {
                assertTrue(System.currentTimeMillis() < deadline, fault + ": an object or multipart upload is left");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void aResumableUploadWhoseCompletionS3RefusedIsFinishedByTheNextHead() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = bytes(7 * MB + 123, 2);
        String location = tus(api).header("Upload-Length", content.length)
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString(
                        "late.bin".getBytes(StandardCharsets.UTF_8)))
                .post(TUS).then().statusCode(201).extract().header("Location");
        String path = location.substring(FileApi.BASE.length());

        S3Faults.inject(COMPLETE_200);
        tus(api).header("Upload-Offset", 0).contentType("application/offset+octet-stream").body(content)
                .patch(path).then().statusCode(503).header("Retry-After", "5");
        // S3 still refuses: the resuming client hears the outage, not "all bytes received" without a file
        tus(api).head(path).then().statusCode(503).header("Retry-After", "5");
        assertTrue(S3Faults.answered() >= 2, "the completion was retried by HEAD");
        assertEquals(0, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));

        S3Faults.clear();
        String fileId = tus(api).head(path).then().statusCode(200)
                .header("Upload-Offset", Integer.toString(content.length))
                .header("Upload-Length", Integer.toString(content.length))
                .extract().header(TusProtocol.FILE_ID);
        assertTrue(fileId != null && !fileId.isBlank(), "HEAD names the file it finished");
        api.call("info", "file_id", fileId).then().statusCode(200).body("data.hash", equalTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content))));
        assertEquals(content.length, Db.count(dataSource, "select used_bytes from account_usage where tenant_id = ? "
                + "and account_id = ?", api.tenantId, api.accountId), "charged once, for the file");
        assertEquals(0, Db.count(dataSource, "select coalesce(sum(reserved_bytes), 0) from tus_upload "
                + "where tenant_id = ?", api.tenantId), "the reservation became the file's bytes");
        // and the answer stays the same afterwards
        tus(api).head(path).then().statusCode(200).header(TusProtocol.FILE_ID, fileId);
    }

    private static RequestSpecification tus(FileApi api) {
        return api.gateway().header("Tus-Resumable", "1.0.0");
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
