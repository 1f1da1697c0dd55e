package io.filehost.common.testing;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness means "this replica can serve requests": its own database and nothing shared by every replica
 * (docs/observability.md). S3 and Kafka are reported in {@code /q/health/well} (and so in {@code /q/health}),
 * and all of it is up against the local platform.
 */
public abstract class AbstractReadinessTest {
    static final String DATABASE = "Database connections health check";

    /** Names of the wellness checks this service must report ("s3", "kafka"). */
    protected abstract List<String> wellnessChecks();

    @Test
    void readinessIsTheDatabaseAndTheSharedDependenciesAreWellnessChecks() {
        JsonPath ready = given().get("/q/health/ready").then().extract().jsonPath();
        assertEquals(List.of(DATABASE), ready.getList("checks.name"), "readiness checks");
        assertEquals("UP", ready.getString("status"), "readiness: " + ready.prettify());

        JsonPath well = given().get("/q/health/well").then().extract().jsonPath();
        List<Map<String, Object>> checks = well.getList("checks");
        for (String expected : wellnessChecks()) {
            Map<String, Object> check = checks.stream().filter(c -> expected.equals(c.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no wellness check named " + expected + " in " + checks));
            assertEquals("UP", check.get("status"), "check " + expected + ": " + check);
        }
        JsonPath live = given().get("/q/health/live").then().extract().jsonPath();
        assertEquals("UP", live.getString("status"));
        assertTrue(live.getList("checks.name").stream().noneMatch(n -> String.valueOf(n).toLowerCase()
                .matches(".*(kafka|s3|messaging).*")), "liveness checks: " + live.getList("checks.name"));
    }
}
