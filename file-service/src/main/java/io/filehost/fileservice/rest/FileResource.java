package io.filehost.fileservice.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.ApiResponses;
import io.filehost.common.rest.Caller;
import io.filehost.common.rest.EarlyAnswer;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.service.MultipartUpload;
import io.filehost.fileservice.service.FileViews;
import io.filehost.fileservice.service.ShortUrls;
import io.filehost.fileservice.service.UrlImports;
import io.quarkus.security.Authenticated;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/**
 * The /file endpoints (behaviour.md §5). Thin: read parameters, call the service, wrap the envelope. Every request
 * but a multipart upload arrives normalised as an urlencoded POST (docs/internal-api.md).
 */
@Path("/api/v2/file")
@Authenticated
@Produces(ApiMedia.JSON_UTF8)
public class FileResource {
    @Inject
    Caller caller;

    @Inject
    FileService files;

    @Inject
    MultipartUpload multipartUpload;

    @Inject
    UrlImports urlImports;

    @Inject
    RoutingContext routing;

    @POST
    @Path("upload")
    @Consumes({MediaType.MULTIPART_FORM_DATA, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response upload(InputStream body, @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Content-Length") String contentLength,
                           @QueryParam("folder_id") String queryFolderId) {
        Account account = caller.account();
        FileService.Created created;
        try {
            created = multipartUpload.upload(account, body, contentType,
                    contentLength == null ? -1 : parseLength(contentLength), queryFolderId);
        } catch (RuntimeException e) {
            // A refusal or failure known before the body's end is answered now, and the rest is not read.
            EarlyAnswer.closeAfterAnswer(routing);
            throw e;
        }
        return ok(Envelope.success().response("File uploaded")
                .data(FileViews.uploaded(created.file(), created.md5(), account.baseUrl())));
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @POST
    @Path("info")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response info(MultivaluedMap<String, String> form) {
        Account account = caller.account();
        return ok(Envelope.success().data(info(files.info(account, ApiParams.of(form).required("file_id")), account)));
    }

    @POST
    @Path("edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response edit(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        Account account = caller.account();
        String fileId = params.required("file_id");
        FileRecord file = files.edit(account, fileId, params.optional("filename"), params.optional("fileType"),
                params.optional("folder_id"), params.optional("folder_id") != null);
        return ok(Envelope.success().response("File successfully updated.").data(info(file, account)));
    }

    @POST
    @Path("delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(MultivaluedMap<String, String> form) {
        Account account = caller.account();
        return ok(Envelope.success().response("File successfully set as deleted.")
                .data(info(files.trash(account, ApiParams.of(form).required("file_id")), account)));
    }

    @POST
    @Path("move")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response move(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        Account account = caller.account();
        String fileId = params.required("file_id");
        String target = params.required("new_parent_folder_id");
        return ok(Envelope.success().response("File successfully moved.")
                .data(info(files.move(account, fileId, target), account)));
    }

    @POST
    @Path("copy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response copy(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        Account account = caller.account();
        String fileId = params.required("file_id");
        String target = params.required("copy_to_folder_id");
        FileRecord original = files.info(account, fileId);
        FileRecord copy = files.copy(account, fileId, target);
        return ok(Envelope.success().response("File successfully copyied.")
                .field("original_file", Envelope.object().set("data", info(original, account)))
                .field("new_file", Envelope.object().set("data", info(copy, account))));
    }

    @POST
    @Path("download")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response download(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        Account account = caller.account();
        String fileId = params.optional("file_id");
        String shortUrl = params.optional("short_url");
        if (fileId == null && shortUrl == null) {
            throw ApiException.missingParam("file_id");
        }
        FileService.IssuedToken issued = files.issueDownloadToken(account, fileId, shortUrl);
        ObjectNode data = Envelope.object();
        data.put("file_id", issued.file().id.toString());
        data.put("filename", issued.file().filename);
        data.put("download_url", FileViews.base(account.baseUrl()) + "/" + ShortUrls.encode(issued.file().id)
                + "?download_token=" + issued.token());
        return ok(Envelope.success().data(data));
    }

    @POST
    @Path("url_upload_add")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response urlUploadAdd(MultivaluedMap<String, String> form) {
        ApiParams params = ApiParams.of(form);
        Account account = caller.account();
        String encoded = params.required("file_url_base64");
        return ok(Envelope.success().response(UrlImports.SCHEDULED)
                .data(FileViews.urlImportScheduled(urlImports.schedule(account, encoded,
                        params.optional("folder_id")))));
    }

    @POST
    @Path("url_upload_status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response urlUploadStatus(MultivaluedMap<String, String> form) {
        Account account = caller.account();
        UrlImports.JobView view = urlImports.status(account, ApiParams.of(form).required("scheduled_item_id"));
        return ok(Envelope.success().response(UrlImports.FOUND)
                .data(FileViews.urlImportStatus(view.job(), view.file(), account.baseUrl(), caller.zone())));
    }

    /** Any other action: the API's "no such method" answer. */
    @POST
    @Path("{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unknown(@PathParam("action") String action) {
        throw ApiException.notFound(ApiMessages.noMethod("file", action));
    }

    private ObjectNode info(FileRecord file, Account account) {
        return FileViews.info(file, account.baseUrl(), caller.zone());
    }

    private Response ok(Envelope envelope) {
        return ApiResponses.ok(envelope.build(caller.zone()));
    }
}
