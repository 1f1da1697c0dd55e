package io.filehost.gateway;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.internal.InternalHeaders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads whose bytes the gateway reads from S3 itself (docs/downloads.md): file-service answers status and headers
 * with a presigned URL, the gateway sends the object's bytes under them. FakeServices plays file-service and S3.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class GatewayObjectRelayTest extends GatewayTestSupport {

    @Test
    void theBytesComeFromTheObjectStoreUnderFileServicesHeaders() {
        String id = newRequestId();
        Response whole = client(id).header("X-Fake-Object", "ok").get("/2Vv?download_token=abc");
        whole.then().statusCode(200).header("Content-Length", "10").header("ETag", "\"fake-etag\"")
                .header(InternalHeaders.OBJECT_URL, nullValue()).header(InternalHeaders.OBJECT_LENGTH, nullValue())
                .header(InternalHeaders.OBJECT_RANGE, nullValue()).body(equalTo("0123456789"));
        assertEquals("1", fakes().awaitRequest(id).header(InternalHeaders.OBJECT_RELAY),
                "the gateway tells file-service it fetches the bytes itself");

        client(newRequestId()).header("X-Fake-Object", "ok").header("X-Fake-Size", "100").header("Range", "bytes=12-15")
                .get("/2Vv?download_token=abc").then().statusCode(206).header("Content-Length", "4")
                .header("Content-Range", "bytes 12-15/100").body(equalTo("2345"));
    }

    @Test
    void aHeadIsAnsweredByFileServiceAlone() {
        String id = newRequestId();
        client(id).head("/2Vv?download_token=abc").then().statusCode(200);
        assertNull(fakes().awaitRequest(id).header(InternalHeaders.OBJECT_RELAY));
    }

    @Test
    void theObjectIsSentNoFasterThanThePackagesSpeed() {
        long began = System.nanoTime();
        byte[] body = client(newRequestId()).header("X-Fake-Object", "ok").header("X-Fake-Size", "300000")
                .header("X-Fake-Rate", "200000").get("/2Vv?download_token=abc").then().statusCode(200)
                .extract().asByteArray();
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(300_000, body.length);
        assertEquals('9', body[299_999]);
        assertTrue(millis >= 1_000, "300 kB at 200 kB/s took only " + millis + " ms");
    }

    @Test
    void anObjectStoreThatCannotServeIsAnOutage() {
        client(newRequestId()).header("X-Fake-Object", "down").get("/2Vv?download_token=abc").then().statusCode(503)
                .header("Retry-After", "5").body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE))
                .header(InternalHeaders.OBJECT_URL, nullValue());
        // fewer bytes than file-service promised: not sent as if it were the file
        client(newRequestId()).header("X-Fake-Object", "short").get("/2Vv?download_token=abc").then().statusCode(503)
                .body("response", equalTo(ApiMessages.SERVICE_UNAVAILABLE));
    }
}
