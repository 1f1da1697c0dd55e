package io.filehost.fileservice;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.failure.FailureLog;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.testing.LogCapture;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 is down (its endpoint is a closed port): uploads and downloads answer the 503 envelope with Retry-After, one
 * WARN without a stack trace is logged, a download that could not start is neither counted nor charged, and the
 * replica stays ready.
 */
@QuarkusTest
@TestProfile(S3OutageTest.S3Down.class)
class S3OutageTest {
    public static class S3Down implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.minio.port", "1");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void uploadsAndDownloadsAnswer503WithRetryAfterAndLogOneWarning() {
        FileApi api = FileApi.newAccount();
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                api.upload("a.txt", "hello").then().statusCode(503).header("Retry-After", "5")
                        .body("status", equalTo("error")).body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
            }

            long fileId = storedFile(api);
            String url = api.call("download", "file_id", Long.toString(fileId)).then().statusCode(200)
                    .extract().path("data.download_url");
            api.publicGet(url.substring(FileApi.BASE.length() + 1)).then().statusCode(503)
                    .header("Retry-After", "5").body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
            // the gateway's way (it fetches the bytes itself): S3 is asked before anything is charged
            io.restassured.RestAssured.given().header("X-Tenant-Id", Long.toString(api.tenantId))
                    .header(InternalHeaders.OBJECT_RELAY, "1").get("/public/" + url.substring(FileApi.BASE.length() + 1))
                    .then().statusCode(503).header("Retry-After", "5")
                    .body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));

            assertEquals(0, Db.count(dataSource, "select downloads from file_record where id = ?", fileId),
                    "a download S3 could not serve is not counted");
            assertEquals(0, Db.count(dataSource, "select count(*) from download_log where file_id = ?", fileId),
                    "nor charged against the 24-hour limits");

            // Every failed upload also failed to remove its object: that is part of the same outage, not a line each.
            List<LogRecord> warnings = logs.at(Level.WARNING).stream()
                    .filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("io.filehost.")).toList();
            assertEquals(1, warnings.size(), "one line for the outage, the rest counted: "
                    + warnings.stream().map(LogCapture::text).toList());
            assertEquals(FailureLog.class.getName(), warnings.get(0).getLoggerName());
            assertTrue(LogCapture.text(warnings.get(0)).startsWith("S3 unavailable"), LogCapture.text(warnings.get(0)));
            assertNull(warnings.get(0).getThrown(), "no stack trace for an outage");
            assertEquals(List.of(), logs.atOrAbove(Level.SEVERE).stream().map(LogCapture::text).toList(),
                    "an outage is not an error");
        }
    }

    @Test
    void theReplicaStaysReadyAndHealthShowsS3Down() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        List<Map<String, Object>> checks = given().get("/q/health/well").then().statusCode(503)
                .extract().jsonPath().getList("checks");
        assertFalse(checks.isEmpty());
        assertTrue(checks.stream().anyMatch(c -> "s3".equals(c.get("name")) && "DOWN".equals(c.get("status"))),
                checks.toString());
    }

    /** A file whose bytes are (supposedly) in S3: written directly, since nothing can be uploaded with S3 down. */
    private long storedFile(FileApi api) {
        String key = api.tenantId + "/" + UUID.randomUUID();
        long objectId = ((Number) Db.query(dataSource, "insert into stored_object (tenant_id, object_key, size, md5, "
                        + "sha256, ref_count) values (?, ?, 5, ?, ?, 1) returning id", api.tenantId, key,
                "0".repeat(32), UUID.randomUUID().toString().replace("-", "").repeat(2)).get(0)[0]).longValue();
        return ((Number) Db.query(dataSource, "insert into file_record (tenant_id, account_id, stored_object_id, "
                        + "filename, file_type, extension, file_size, uploaded_date, status, keywords, upload_source, "
                        + "delete_hash, unique_hash) values (?, ?, ?, 'a.txt', 'text/plain', 'txt', 5, now(), "
                        + "'active', '', 'api', ?, ?) returning id", api.tenantId, api.accountId, objectId,
                "0".repeat(32), UUID.randomUUID().toString().replace("-", "").repeat(2)).get(0)[0]).longValue();
    }
}
