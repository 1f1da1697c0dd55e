package io.filehost.common.testing;

import io.filehost.common.internal.InternalClaims;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * A service reached around the gateway must refuse every request that lacks a valid internal JWT (design.md, the way
 * of one request, step 3). Each service extends this with one of its protected endpoints.
 */
public abstract class AbstractJwtVerificationTest {
    private static final String INVALID = "Could not validate access_token and account_id, please reauthenticate or try again.";

    /** A request to a JWT-protected endpoint, without credentials. */
    protected abstract RequestSpecification protectedRequest();

    protected abstract String protectedPath();

    /** The status a valid JWT gets on that endpoint (anything but 401). */
    protected abstract int statusWithValidJwt();

    @Test
    void withoutJwtTheServiceAnswers401WithTheEnvelope() {
        protectedRequest().post(protectedPath()).then()
                .statusCode(401)
                .contentType("application/json")
                .body("_status", equalTo("error"))
                .body("status", equalTo("error"))
                .body("response", equalTo(INVALID));
    }

    @Test
    void aGarbageBearerIsRefused() {
        protectedRequest().header("Authorization", "Bearer not-a-jwt").post(protectedPath()).then().statusCode(401);
    }

    @Test
    void aJwtSignedByAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey foreignKey = generator.generateKeyPair().getPrivate();
        String forged = Jwt.issuer(InternalClaims.ISSUER).audience(InternalClaims.AUDIENCE).subject("1")
                .claim(InternalClaims.TENANT_ID, "1").claim(InternalClaims.PACKAGE, TestJwt.unlimited().toClaim())
                .expiresIn(Duration.ofMinutes(5)).jws().keyId("test").sign(foreignKey);
        protectedRequest().header("Authorization", "Bearer " + forged).post(protectedPath()).then().statusCode(401);
    }

    @Test
    void anExpiredJwtIsRefused() {
        String expired = Jwt.issuer(InternalClaims.ISSUER).audience(InternalClaims.AUDIENCE).subject("1")
                .claim(InternalClaims.TENANT_ID, "1").claim(InternalClaims.PACKAGE, TestJwt.unlimited().toClaim())
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(1800))
                .jws().keyId("test").sign(TestJwt.PRIVATE_KEY);
        protectedRequest().header("Authorization", "Bearer " + expired).post(protectedPath()).then().statusCode(401);
    }

    @Test
    void aJwtForAnotherAudienceIsRefused() {
        String wrongAudience = Jwt.issuer(InternalClaims.ISSUER).audience("someone-else").subject("1")
                .claim(InternalClaims.TENANT_ID, "1").claim(InternalClaims.PACKAGE, TestJwt.unlimited().toClaim())
                .expiresIn(Duration.ofMinutes(5)).jws().keyId("test").sign(TestJwt.PRIVATE_KEY);
        protectedRequest().header("Authorization", "Bearer " + wrongAudience).post(protectedPath()).then()
                .statusCode(401);
    }

    @Test
    void aValidJwtIsAccepted() {
        protectedRequest().header("Authorization", "Bearer " + TestJwt.forAccount(7, 1)).post(protectedPath()).then()
                .statusCode(statusWithValidJwt());
    }

    protected static RequestSpecification form() {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("probe", "1");
    }
}
