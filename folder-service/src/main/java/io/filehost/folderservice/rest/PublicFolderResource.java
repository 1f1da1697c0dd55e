package io.filehost.folderservice.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.rest.ApiResponses;
import io.filehost.common.rest.Caller;
import io.filehost.folderservice.service.FolderMessages;
import io.filehost.folderservice.service.FolderStore;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * The public folder page {@code {base}/folder/{id}/{name}}, which the gateway forwards here without a JWT. Minimal and
 * safe: only a folder its owner made unlisted or public and did not protect with a password, and only its name and
 * link (no owner, no contents yet). Everything else is the same 404, so the page reveals nothing about private ids.
 * The name segment is decoration (it may be stale after a rename): the id decides.
 */
@Path("/public/folder")
@Produces(ApiMedia.JSON_UTF8)
public class PublicFolderResource {

    @Inject
    FolderStore store;

    @GET
    @Path("{id}")
    public Response page(@PathParam("id") String id, @Context HttpServerRequest request) {
        Long folderId = ApiParams.parseId(id);
        Long tenantId = ApiParams.parseId(request.getHeader(InternalHeaders.TENANT_ID));
        if (folderId == null || tenantId == null) {
            throw ApiException.notFound(FolderMessages.NOT_FOUND);
        }
        String baseUrl = request.getHeader(InternalHeaders.PUBLIC_BASE_URL);
        return store.findPublic(tenantId, folderId)
                .filter(folder -> folder.accessPassword() == null)
                .map(folder -> {
                    ObjectNode data = Envelope.object();
                    data.put("id", Long.toString(folder.id()));
                    data.put("folderName", folder.folderName());
                    data.put("isPublic", Integer.toString(folder.isPublic()));
                    data.put("url_folder", FolderJson.url(baseUrl, folder.id(), folder.folderName()));
                    return ApiResponses.ok(Envelope.success().data(data).build(Caller.zoneOf(request)));
                })
                .orElseThrow(() -> ApiException.notFound(FolderMessages.NOT_FOUND));
    }

    @GET
    @Path("{id}/{name}")
    public Response namedPage(@PathParam("id") String id, @Context HttpServerRequest request) {
        return page(id, request);
    }
}
