package io.filehost.fileservice.rest;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.TusProtocol;
import io.filehost.common.rest.Caller;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.service.FileViews;
import io.filehost.fileservice.service.ShortUrls;
import io.filehost.fileservice.tus.TusMetadata;
import io.filehost.fileservice.tus.TusUpload;
import io.filehost.fileservice.tus.TusUploads;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Resumable uploads, tus 1.0.0 (docs/tus.md): thin — headers in, {@link TusUploads}, headers out. Errors are the
 * API's envelope with the status the tus protocol gives them (409 offset, 412 version, 415 content type, 423 busy,
 * 460 checksum); the gateway passes these statuses through for every tenant.
 */
@Path("/api/v2/file/tus")
@Authenticated
public class TusResource {
    public static final String CONTENT_TYPE = "application/offset+octet-stream";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    @Inject
    Caller caller;

    @Inject
    TusUploads uploads;

    private Account account() {
        return new Account(caller.tenantId(), caller.accountId(), caller.limits(), caller.publicBaseUrl(),
                caller.clientIp(), caller.strictHttp());
    }

    @OPTIONS
    public Response options() {
        Response.ResponseBuilder response = Response.noContent().header("Tus-Version", TusProtocol.VERSION)
                .header("Tus-Extension", TusProtocol.EXTENSIONS)
                .header("Tus-Checksum-Algorithm", TusProtocol.CHECKSUM_ALGORITHMS);
        long max = caller.limits().maxUploadSize();
        if (max > 0) {
            response.header("Tus-Max-Size", max);
        }
        return response.build();
    }

    @OPTIONS
    @Path("{id}")
    public Response optionsOfUpload() {
        return options();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@HeaderParam("Tus-Resumable") String version,
                           @HeaderParam("Upload-Length") String length,
                           @HeaderParam("Upload-Defer-Length") String defer,
                           @HeaderParam("Upload-Metadata") String metadata,
                           @HeaderParam("Upload-Checksum") String checksum,
                           @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Content-Length") String contentLength,
                           InputStream body) {
        checkVersion(version);
        if (defer != null && !"1".equals(defer.trim())) {
            throw ApiException.badRequest("Upload-Defer-Length must be 1.");
        }
        Account account = account();
        TusUpload upload = uploads.create(account, TusMetadata.length("Upload-Length", length), defer != null,
                metadata);
        Response.ResponseBuilder response = Response.status(201).header("Location", location(upload.id()));
        long bodyLength = bodyLength(contentLength);
        if (contentType != null && contentType.startsWith(CONTENT_TYPE) && bodyLength != 0) {
            // creation-with-upload: the body is the first chunk
            TusUploads.State state = uploads.patch(account, upload.id(), 0, null, TusMetadata.checksum(checksum),
                    bodyLength, body);
            describe(response, state, account);
        } else {
            response.header("Upload-Offset", 0).header("Upload-Expires", HTTP_DATE.format(upload.expiresAt()));
        }
        return response.build();
    }

    @HEAD
    @Path("{id}")
    public Response head(@HeaderParam("Tus-Resumable") String version, @PathParam("id") String id) {
        checkVersion(version);
        Account account = account();
        TusUploads.State state = uploads.head(account, id);
        Response.ResponseBuilder response = Response.ok().header("Cache-Control", "no-store");
        TusUpload upload = state.upload();
        if (upload.length() == null) {
            response.header("Upload-Defer-Length", 1);
        }
        if (upload.metadata() != null && !upload.metadata().isBlank()) {
            response.header("Upload-Metadata", upload.metadata());
        }
        describe(response, state, account);
        return response.build();
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Response patch(@HeaderParam("Tus-Resumable") String version, @PathParam("id") String id,
                          @HeaderParam("Content-Type") String contentType,
                          @HeaderParam("Upload-Offset") String offset,
                          @HeaderParam("Upload-Length") String length,
                          @HeaderParam("Upload-Checksum") String checksum,
                          @HeaderParam("Content-Length") String contentLength,
                          InputStream body) {
        checkVersion(version);
        if (contentType == null || !contentType.toLowerCase().startsWith(CONTENT_TYPE)) {
            throw new ApiException(415, "A PATCH carries Content-Type: " + CONTENT_TYPE + ".");
        }
        Long clientOffset = TusMetadata.length("Upload-Offset", offset);
        if (clientOffset == null) {
            throw ApiException.badRequest("The Upload-Offset header is required.");
        }
        Account account = account();
        TusUploads.State state = uploads.patch(account, id, clientOffset, TusMetadata.length("Upload-Length", length),
                TusMetadata.checksum(checksum), bodyLength(contentLength), body);
        Response.ResponseBuilder response = Response.noContent();
        describe(response, state, account);
        return response.build();
    }

    @DELETE
    @Path("{id}")
    public Response terminate(@HeaderParam("Tus-Resumable") String version, @PathParam("id") String id) {
        checkVersion(version);
        uploads.terminate(account(), id);
        return Response.noContent().build();
    }

    private void describe(Response.ResponseBuilder response, TusUploads.State state, Account account) {
        TusUpload upload = state.upload();
        response.header("Upload-Offset", state.offset());
        if (upload.length() != null) {
            response.header("Upload-Length", upload.length());
        }
        if (state.file() == null && !TusUpload.COMPLETED.equals(upload.status())) {
            response.header("Upload-Expires", HTTP_DATE.format(upload.expiresAt()));
        }
        FileRecord file = state.file();
        if (file != null) {
            response.header(TusProtocol.FILE_ID, file.id).header(TusProtocol.SHORT_URL, ShortUrls.encode(file.id))
                    .header(TusProtocol.FILE_URL, FileViews.url(file, account.baseUrl()));
        }
    }

    private String location(String id) {
        return FileViews.base(caller.publicBaseUrl()) + "/api/v2/file/tus/" + id;
    }

    private static long bodyLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        Long value = TusMetadata.length("Content-Length", contentLength);
        return value == null ? -1 : value;
    }

    private static void checkVersion(String version) {
        if (!TusProtocol.VERSION.equals(version == null ? null : version.trim())) {
            throw new TusVersionException();
        }
    }

    /** 412 with the versions this server speaks (tus core protocol). */
    static final class TusVersionException extends ApiException {
        TusVersionException() {
            super(412, "This server speaks tus " + TusProtocol.VERSION + " (send Tus-Resumable: "
                    + TusProtocol.VERSION + ").");
        }
    }
}
