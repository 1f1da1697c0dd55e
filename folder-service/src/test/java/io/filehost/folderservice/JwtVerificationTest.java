package io.filehost.folderservice;

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
        return "/api/v2/folder/info";
    }

    /** Past the JWT check, /folder/info without folder_id: "Please provide the folder_id param." (strict 400). */
    @Override
    protected int statusWithValidJwt() {
        return 400;
    }
}
