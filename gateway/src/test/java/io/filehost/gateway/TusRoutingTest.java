package io.filehost.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tus endpoint (docs/tus.md) through the gateway: credentials in headers, bodies streamed, statuses kept. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class TusRoutingTest extends GatewayTestSupport {
    private static final String ID = "0123456789abcdef0123456789abcdef";

    @Test
    void aPatchIsStreamedToFileServiceWithTheInternalJwtAndItsTusHeaders() {
        byte[] chunk = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(chunk);
        String id = newRequestId();
        client(id).header("Authorization", "Bearer " + token(7)).header("X-Account-Id", "7")
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .contentType("application/offset+octet-stream").body(chunk)
                .patch("/api/v2/File/Tus/" + ID).then().statusCode(200);
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals(FakeServices.FILE, received.service());
        assertEquals("PATCH", received.method());
        assertEquals("/api/v2/file/tus/" + ID, received.path());
        assertEquals(chunk.length, received.length());
        assertEquals("0", received.header("Upload-Offset"));
        assertEquals("1.0.0", received.header("Tus-Resumable"));
        assertTrue(received.header("Authorization").startsWith("Bearer "), "the internal JWT");
        assertTrue(!received.header("Authorization").contains("tok-7"), "never the access token");
    }

    @Test
    void aPatchTunnelledThroughPostArrivesAsAPatch() {
        String id = newRequestId();
        client(id).header("Authorization", "Bearer " + token(7)).header("X-Account-Id", "7")
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("X-HTTP-Method-Override", "PATCH")
                .contentType("application/offset+octet-stream").body(new byte[10])
                .post("/api/v2/file/tus/" + ID).then().statusCode(200);
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals("PATCH", received.method());
        assertEquals(10, received.length());
        assertNull(received.header("X-HTTP-Method-Override"));
    }

    @Test
    void creationHeadAndTerminationReachFileService() {
        for (String[] call : new String[][]{{"POST", "/api/v2/file/tus"}, {"HEAD", "/api/v2/file/tus/" + ID},
                {"DELETE", "/api/v2/file/tus/" + ID}}) {
            String id = newRequestId();
            client(id).header("Authorization", "Bearer " + token(8)).header("X-Account-Id", "8")
                    .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
                    .request(call[0], call[1]).then().statusCode(200);
            FakeServices.Recorded received = fakes().awaitRequest(id);
            assertEquals(call[0], received.method());
            assertEquals(call[1], received.path());
        }
    }

    @Test
    void statusesPassThroughEvenForCompatibleTenants() {
        for (int status : new int[]{404, 409, 412, 423, 460}) {
            client(newRequestId()).header("Authorization", "Bearer " + token(9)).header("X-Account-Id", "9")
                    .header("Tus-Resumable", "1.0.0").header("X-Fake-Status", Integer.toString(status))
                    .head("/api/v2/file/tus/" + ID).then().statusCode(status);
        }
        // A refused token is a real 401 too (a compatible tenant would get 200 with the envelope on the API).
        client(newRequestId()).header("Authorization", "Bearer nope").header("X-Account-Id", "9")
                .header("Tus-Resumable", "1.0.0").head("/api/v2/file/tus/" + ID).then().statusCode(401);
        client(newRequestId()).header("Tus-Resumable", "1.0.0").post("/api/v2/file/tus").then().statusCode(400)
                .body("response", containsString("access_token"));
    }

    @Test
    void optionsWithoutCredentialsIsAnsweredByTheGateway() {
        String id = newRequestId();
        client(id).options("/api/v2/file/tus").then().statusCode(204).header("Tus-Version", "1.0.0")
                .header("Tus-Resumable", "1.0.0").header("Tus-Extension", containsString("creation"));
        assertTrue(fakes().received(FakeServices.FILE).stream().noneMatch(r -> id.equals(r.header("X-Request-Id"))));
    }

    @Test
    void otherMethodsAndPathsAreRefused() {
        client(newRequestId()).header("Authorization", "Bearer " + token(10)).header("X-Account-Id", "10")
                .get("/api/v2/file/tus/" + ID).then().statusCode(405).header("Allow", equalTo(
                        "OPTIONS, HEAD, PATCH, DELETE"));
        client(newRequestId()).header("Authorization", "Bearer " + token(10)).header("X-Account-Id", "10")
                .patch("/api/v2/file/tus").then().statusCode(405);
        client(newRequestId()).get("/api/v2/file/tus/a/b?" + creds(10)).then().statusCode(404)
                .body("response", containsString("No method found within endpoint (file)"));
    }
}
