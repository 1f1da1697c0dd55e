package io.filehost.folderservice.rest;

import io.filehost.common.internal.Account;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.ApiResponses;
import io.filehost.common.rest.Caller;
import io.filehost.folderservice.service.FolderMessages;
import io.filehost.folderservice.service.FolderService;
import io.filehost.folderservice.service.FolderView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * The /folder endpoints (behaviour.md §6) as the gateway forwards them: POST urlencoded with the merged parameters,
 * the caller in the internal JWT. Parse, call, wrap; the rules live in {@link FolderService}.
 */
@Path("/api/v2/folder")
@Authenticated
@Produces(ApiMedia.JSON_UTF8)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class FolderResource {

    @Inject
    FolderService folders;

    @Inject
    Caller caller;

    @POST
    @Path("create")
    public Response create(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        String name = FolderParams.folderName(params.required("folder_name"));
        Long parentId = FolderParams.createParent(params.optional("parent_id"));
        int isPublic = FolderParams.isPublic(params.optional("is_public"));
        String password = FolderParams.accessPassword(params.optional("access_password"));
        FolderView created = folders.create(owner(), name, parentId, isPublic, password);
        return withInfo(FolderMessages.CREATED, created);
    }

    @POST
    @Path("listing")
    public Response listing(MultivaluedMap<String, String> form) {
        String parent = ApiParams.of(form).optional("parent_folder_id");
        Long parentId = FolderParams.destination(parent, FolderMessages.NOT_FOUND).orElse(null);
        return ApiResponses.ok(Envelope.success()
                .data(FolderJson.listing(folders.listing(owner(), parentId), caller.publicBaseUrl(), caller.zone()))
                .build(caller.zone()));
    }

    /** {@code folder_id}; the documentation names it {@code parent_folder_id}, which clients therefore send. */
    @POST
    @Path("info")
    public Response info(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        String value = params.optional("folder_id");
        if (value == null) {
            value = params.optional("parent_folder_id");
        }
        if (value == null) {
            throw ApiException.missingParam("folder_id");
        }
        FolderView folder = folders.info(owner(), FolderParams.existingId(value, FolderMessages.NOT_FOUND));
        return ApiResponses.ok(Envelope.success()
                .data(FolderJson.info(folder, caller.publicBaseUrl(), caller.zone())).build(caller.zone()));
    }

    @POST
    @Path("edit")
    public Response edit(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        long id = FolderParams.requiredFolderId(params, "folder_id", FolderMessages.NOT_FOUND);
        String name = FolderParams.folderName(params.optional("folder_name"));
        Optional<Optional<Long>> newParent = FolderParams.editParent(params.optional("parent_id"));
        String publicFlag = params.optional("is_public");
        Integer isPublic = publicFlag == null ? null : FolderParams.isPublic(publicFlag);
        Optional<Optional<String>> newPassword = FolderParams.editAccessPassword(params.optional("access_password"));
        FolderView updated = folders.edit(owner(), id, name, newParent, isPublic, newPassword);
        return withInfo(FolderMessages.UPDATED, updated);
    }

    @POST
    @Path("move")
    public Response move(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        String folderValue = params.required("folder_id");
        String destinationValue = params.required("new_parent_folder_id");
        if (folderValue.equals(destinationValue)) {
            throw ApiException.badRequest(FolderMessages.MOVE_ONTO_ITSELF);
        }
        long id = FolderParams.existingId(folderValue, FolderMessages.NOT_FOUND);
        Long destination = FolderParams.destination(destinationValue, FolderMessages.MOVE_DESTINATION_NOT_FOUND)
                .orElse(null);
        return withInfo(FolderMessages.MOVED, folders.move(owner(), id, destination));
    }

    @POST
    @Path("delete")
    public Response delete(MultivaluedMap<String, String> form) {
        long id = FolderParams.requiredFolderId(ApiParams.of(form), "folder_id", FolderMessages.NOT_FOUND);
        folders.delete(owner(), id);
        return ApiResponses.ok(Envelope.success().response(FolderMessages.DELETED).build(caller.zone()));
    }

    @POST
    @Path("{action}")
    public Response unknown(@PathParam("action") String action) {
        throw ApiException.notFound(ApiMessages.noMethod("folder", action));
    }

    private Response withInfo(String message, FolderView folder) {
        return ApiResponses.ok(Envelope.success().response(message)
                .data(FolderJson.info(folder, caller.publicBaseUrl(), caller.zone())).build(caller.zone()));
    }

    private Account owner() {
        return caller.account();
    }
}
