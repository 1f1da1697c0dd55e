package io.filehost.fileservice.service;

import io.filehost.common.internal.Account;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.common.rest.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Parses the raw multipart stream of /file/upload with {@link MultipartStream} (a skipping delimiter search) on the
 * request's worker thread: form fields are read as they come (before or after the file), the {@code upload_file} part is piped
 * straight into S3, nothing is buffered beyond one S3 part.
 */
@ApplicationScoped
public class MultipartUpload {
    public static final String NO_FILE = "Did not receive uploaded file.";
    public static final String FILE_FIELD = "upload_file";
    public static final String INCOMPLETE = "The upload is incomplete: the multipart body ended before its closing "
            + "boundary.";
    public static final String MALFORMED = "The upload is not a valid multipart/form-data body.";
    public static final String SECOND_FILE = "Only one upload_file may be sent per request.";
    /** Nobody reads it (the client is gone); it keeps the answer an ordinary 400 rather than an error. */
    static final String CLIENT_GONE = "The upload was interrupted before the body was complete.";
    private static final Logger LOG = Logger.getLogger(MultipartUpload.class);
    private static final int MAX_FIELD_BYTES = 64 * 1024;

    @Inject
    Uploader uploader;

    @Inject
    FileService files;

    @Inject
    Quotas quotas;

    @Inject
    LimitRejections rejections;

    @Inject
    FreshTokens freshTokens;

    @Inject
    Caller caller;

    public FileService.Created upload(Account account, InputStream body, String contentType, long contentLength,
                                      String queryFolderId) {
        if (!account.limits().canUpload()) {
            rejections.count(LimitRejections.CAN_UPLOAD);
            throw new ApiException(403, FileService.UPLOAD_NOT_ALLOWED);
        }
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/")) {
            throw ApiException.badRequest(NO_FILE);
        }
        long maxSize = account.limits().maxUploadSize();
        if (maxSize > 0 && contentLength > 0 && contentLength > maxSize + 64 * 1024L) {
            // The declared body is beyond the limit by more than any multipart overhead: refuse before reading it.
            throw ApiException.tooLarge(Uploader.maxSizeMessage(maxSize));
        }
        // A folder in the query string, or in a field before the file part, is checked before a byte is stored, with
        // the request's JWT while it is fresh. One in a field after the file part is checked when it arrives: a
        // transfer may outlast the request's JWT (it lives minutes), so that check uses a fresh JWT from auth-service's
        // token exchange (FreshTokens, docs/internal-api.md) — nothing after the bytes depends on the old credential.
        Long folderId = files.uploadFolder(folderParam(queryFolderId), account.strictHttp());
        java.util.UUID session = quotas.openSession(account.tenantId(), account.accountId(),
                account.limits().concurrentUploads());
        Uploader.Stored stored = null;
        String filename = null;
        ClientBody client = new ClientBody(body);
        try {
            MultipartStream parts = new MultipartStream(client, MultipartStream.boundary(contentType));
            MultipartStream.Part part;
            while ((part = parts.next()) != null) {
                if (part.isFormField()) {
                    String value = readField(part);
                    String folderParam = "folder_id".equals(part.fieldName()) ? folderParam(value) : null;
                    if (folderParam != null) {
                        folderId = files.uploadFolder(folderParam, account.strictHttp(),
                                stored == null ? null : freshTokens.exchange(caller.rawToken(), caller.requestId()));
                    }
                } else if (FILE_FIELD.equals(part.fieldName())) {
                    if (stored != null) {
                        throw ApiException.badRequest(SECOND_FILE); // which one was meant is anybody's guess
                    }
                    filename = FileNames.clean(fileName(part));
                    // Closed only after a success: closing a part's stream reads the part to its end, and a failed
                    // upload is answered at once, without reading the rest of the body (see FileResource).
                    InputStream content = part.content();
                    stored = uploader.store(account.tenantId(), account.accountId(), session, account.limits(),
                            content, contentLength);
                    content.close();
                } // any other part: skipped by parts.next()
            }
            if (stored == null) {
                throw ApiException.badRequest(NO_FILE);
            }
            FileService.Created created = files.createFromUpload(account, stored, filename, folderId);
            stored = null;
            return created;
        } catch (Uploader.BodyFailedException e) {
            throw bodyFailed(e.getCause(), client);
        } catch (IOException e) {
            throw bodyFailed(e, client);
        } finally {
            if (stored != null) {
                uploader.discard(stored);
            }
            // No-op after a success (the session was converted with the file row); releases everything otherwise.
            quotas.closeSession(session);
        }
    }

    /** The folder_id as an optional parameter reads it (null when absent or blank). */
    private static String folderParam(String value) {
        return ApiParams.of(Map.of("folder_id", value == null ? List.of() : List.of(value))).optional("folder_id");
    }

    /**
     * The request body could not be read to a valid end. A client that went away (its connection failed under the
     * read) is no error of ours: logged at DEBUG, answered to nobody. A body the client completed but that is cut
     * short or malformed is the client's error: 400 with what is wrong.
     */
    private static ApiException bodyFailed(Throwable e, ClientBody client) {
        if (client.broken != null) {
            LOG.debugf("Upload abandoned by the client: %s", client.broken.toString());
            return ApiException.badRequest(CLIENT_GONE);
        }
        if (e instanceof MultipartStream.IncompleteException) {
            return ApiException.badRequest(INCOMPLETE);
        }
        LOG.debugf("Malformed upload body: %s", e.toString());
        return ApiException.badRequest(MALFORMED);
    }

    /** The file part's name; a name holding NUL is refused (as commons-fileupload did). */
    private static String fileName(MultipartStream.Part part) {
        if (part.fileName() != null && part.fileName().indexOf('\0') >= 0) {
            throw ApiException.badRequest(FileNames.CONTROL_CHARACTERS);
        }
        return part.fileName() == null ? "file" : part.fileName();
    }

    private static String readField(MultipartStream.Part part) throws IOException {
        try (InputStream in = part.content()) {
            byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw ApiException.badRequest("The " + part.fieldName() + " param is too long.");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * The request body as it comes from the connection, noting whether it failed (the connection closed or reset
     * before the body's end: the client went away) as opposed to ending where the client ended it.
     */
    static final class ClientBody extends java.io.FilterInputStream {
        volatile IOException broken;

        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        }
    }
}
