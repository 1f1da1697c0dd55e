package io.filehost.systemtests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The gateway is the only door: each running service, called around it without an internal JWT, refuses. */
class ServicesBehindTheGatewayTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:8081/api/v2/account/info",
            "http://127.0.0.1:8082/api/v2/file/info",
            "http://127.0.0.1:8083/api/v2/folder/info",
            "http://127.0.0.1:8084/internal/worker/status"})
    void aDirectCallWithoutTheInternalJwtIsRefused(String url) {
        given().contentType("application/x-www-form-urlencoded").formParam("account_id", "1").post(url)
                .then().statusCode(401).body("_status", equalTo("error"));
    }
}
