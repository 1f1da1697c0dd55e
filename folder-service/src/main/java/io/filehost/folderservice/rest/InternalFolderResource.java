package io.filehost.folderservice.rest;

import io.filehost.common.internal.Account;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.Caller;
import io.filehost.folderservice.service.FolderMessages;
import io.filehost.folderservice.service.FolderStore;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * file-service's ownership check (docs/internal-api.md): the folder, if it is an active folder of the JWT's account.
 * Another account's folder, a trashed one and a missing one all answer the same 404 on purpose.
 */
@Path("/internal/folders")
@Authenticated
@Produces(ApiMedia.JSON_UTF8)
public class InternalFolderResource {

    @Inject
    FolderStore store;

    @Inject
    Caller caller;

    @GET
    @Path("{id}")
    public Response folder(@PathParam("id") String id) {
        Long folderId = ApiParams.parseId(id);
        if (folderId == null) {
            throw ApiException.notFound(FolderMessages.NOT_FOUND);
        }
        return store.findActive(caller.account(), folderId)
                .map(folder -> {
                    ObjectNode body = Envelope.object();
                    body.put("id", Long.toString(folder.id()));
                    body.put("parentId", folder.parentId() == null ? null : folder.parentId().toString());
                    body.put("folderName", folder.folderName());
                    return Response.ok(body, ApiMedia.JSON_UTF8).build();
                })
                .orElseThrow(() -> ApiException.notFound(FolderMessages.NOT_FOUND));
    }
}
