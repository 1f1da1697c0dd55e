package io.filehost.authservice;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.filehost.authservice.Fixtures.admin;
import static io.restassured.RestAssured.given;

@QuarkusTest
@TestProfile(AdminDisabledProfile.class)
class AdminDisabledTest {

    @Test
    void withoutAConfiguredKeyTheAdminApiDoesNotExist() {
        admin().get("/admin/tenants").then().statusCode(404);
        admin().body(Map.of("name", "x")).post("/admin/tenants").then().statusCode(404);
        given().post("/admin/accounts/1/keys").then().statusCode(404);
        // the rest of the service is unaffected
        given().get("/internal/jwks").then().statusCode(200);
    }
}
