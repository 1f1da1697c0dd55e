package io.filehost.common.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.Envelope;
import jakarta.ws.rs.core.Response;

import java.time.ZoneId;

/** The one way a service turns an envelope into an HTTP response. */
public final class ApiResponses {
    private ApiResponses() {
    }

    public static Response ok(ObjectNode envelope) {
        return Response.ok(envelope, ApiMedia.JSON_UTF8).build();
    }

    /** See {@link ApiMessages#RETRY_AFTER_SECONDS}. */
    public static final int RETRY_AFTER_SECONDS = ApiMessages.RETRY_AFTER_SECONDS;

    /** Every 503 carries {@code Retry-After}: the condition is temporary and a retry is the right reaction. */
    public static Response error(int status, String message, ZoneId zone) {
        Response.ResponseBuilder response = Response.status(status).type(ApiMedia.JSON_UTF8)
                .entity(Envelope.error(message, zone));
        if (status == 503) {
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }
}
