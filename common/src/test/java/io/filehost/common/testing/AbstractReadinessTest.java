package io.filehost.common.testing;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness reports every real dependency of the service, and all of them are up against the local platform. */
public abstract class AbstractReadinessTest {

    /** Names of the checks this service must report (e.g. "Kafka connection health check", "s3", "Database connections health check"). */
    protected abstract List<String> expectedChecks();

    @Test
    void readinessReportsEveryDependencyUp() {
        JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        for (String expected : expectedChecks()) {
            Map<String, Object> check = checks.stream()
                    .filter(c -> String.valueOf(c.get("name")).startsWith(expected)).findFirst()
                    .orElseThrow(() -> new AssertionError("no readiness check named " + expected + " in " + checks));
            assertEquals("UP", check.get("status"), "check " + expected + ": " + check);
        }
        assertEquals("UP", health.getString("status"), "overall readiness: " + checks);
        assertTrue(given().get("/q/health/live").statusCode() == 200);
    }
}
