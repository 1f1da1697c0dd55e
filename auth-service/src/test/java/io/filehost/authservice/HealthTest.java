package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.filehost.authservice.Fixtures.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class HealthTest {

    @Test
    void readinessChecksTheDatabaseOnly() {
        Response response = given().get("/q/health/ready");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode body = json(response);
        assertEquals("UP", body.get("status").asText());
        List<String> checks = new ArrayList<>();
        body.get("checks").forEach(check -> {
            checks.add(check.get("name").asText());
            assertEquals("UP", check.get("status").asText(), check.toString());
        });
        assertTrue(checks.stream().anyMatch(name -> name.toLowerCase().contains("database")), checks.toString());
        // Kafka only carries revocation events here: a broker outage must not take auth-service out of rotation.
        assertTrue(checks.stream().noneMatch(name -> name.toLowerCase().contains("kafka")), checks.toString());
        given().get("/q/health/live").then().statusCode(200);
    }
}
