package io.filehost.folderservice;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.failure.FailureLog;
import io.filehost.common.testing.LogCapture;
import io.filehost.folderservice.support.Gateway;
import io.filehost.folderservice.support.Gateway.As;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * folder-service's database is down (a closed port): every call answers the 503 envelope with Retry-After, the
 * outage is one WARN line without a stack trace however many requests fail, no ERROR; readiness (its own database)
 * reports it.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.DatabaseDown.class)
class DatabaseOutageTest {
    public static class DatabaseDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/folders_test",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.flyway.clean-at-start", "false",
                    "quarkus.datasource.jdbc.acquisition-timeout", "2s",
                    // The outage's one line per window must come from the requests below: a scheduled job (the
                    // outbox relay) meeting the dead database first would use up the window before the capture.
                    "quarkus.scheduler.enabled", "false");
        }
    }

    @Test
    void callsAnswer503WithRetryAfterAndTheOutageIsOneWarning() {
        As as = Gateway.newAccount();
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                Gateway.call(as, "create", "folder_name", "f" + i).then().statusCode(503)
                        .header("Retry-After", "5").body("status", equalTo("error"))
                        .body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
            }
            Gateway.call(as, "listing").then().statusCode(503).header("Retry-After", "5");

            List<LogRecord> warnings = logs.at(Level.WARNING).stream()
                    .filter(r -> FailureLog.class.getName().equals(r.getLoggerName())).toList();
            assertEquals(1, warnings.size(), "one line for the outage: " + warnings.stream().map(LogCapture::text).toList());
            assertTrue(LogCapture.text(warnings.get(0)).startsWith("database unavailable"),
                    LogCapture.text(warnings.get(0)));
            assertNull(warnings.get(0).getThrown(), "no stack trace for an outage");
            List<String> errors = logs.atOrAbove(Level.SEVERE).stream()
                    .filter(r -> !String.valueOf(r.getLoggerName()).startsWith("io.quarkus.scheduler"))
                    .filter(r -> !String.valueOf(r.getLoggerName()).startsWith("io.filehost.messaging"))
                    .map(r -> r.getLoggerName() + ": " + LogCapture.text(r)).toList();
            assertEquals(List.of(), errors, "an outage is not an error");
        }
    }

    @Test
    void readinessIsTheOwnDatabase() {
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
