package io.filehost.importworker;

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
        return "/internal/worker/status";
    }

    @Override
    protected int statusWithValidJwt() {
        return 200;
    }
}
