package io.filehost.common.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiMedia;
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

    public static Response error(int status, String message, ZoneId zone) {
        return Response.status(status).type(ApiMedia.JSON_UTF8).entity(Envelope.error(message, zone)).build();
    }
}
