package io.filehost.fileservice.rest;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiMessages;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The /file endpoints. The foundation only establishes the door (internal JWT verified, envelope answers); the
 * actions themselves arrive with the file-service issue, and until then every action is reported as not found,
 * exactly as an unknown action would be.
 */
@Path("/api/v2/file")
@Authenticated
@Produces(ApiMedia.JSON_UTF8)
public class FileResource {

    @POST
    @Path("{action}")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
    public void action(@PathParam("action") String action) {
        throw ApiException.notFound(ApiMessages.noMethod("file", action));
    }
}
