package io.filehost.fileservice;

import io.filehost.common.testing.AbstractJwtVerificationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class JwtVerificationTest extends AbstractJwtVerificationTest {
    @Override
    protected RequestSpecification protectedRequest() {
        return form();
    }

    @Override
    protected String protectedPath() {
        return "/api/v2/file/info";
    }

    /** A valid JWT reaches the endpoint, which then asks for its missing parameter with the strict status. */
    @Override
    protected int statusWithValidJwt() {
        return 400;
    }
}
