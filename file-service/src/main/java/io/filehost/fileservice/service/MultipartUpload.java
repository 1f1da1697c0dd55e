package io.filehost.fileservice.service;

import io.filehost.common.internal.Account;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.common.rest.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.List;
import java.util.Map;

/**
 * Parses the raw multipart stream of /file/upload with commons-fileupload's streaming iterator on the request's
 * worker thread: form fields are read as they come (before or after the file), the {@code upload_file} part is piped
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
            FileItemInputIterator parts = parts(new ReadAhead(client), contentType, contentLength);
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (part.isFormField()) {
                    String value = readField(part);
                    String folderParam = "folder_id".equals(part.getFieldName()) ? folderParam(value) : null;
                    if (folderParam != null) {
                        folderId = files.uploadFolder(folderParam, account.strictHttp(),
                                stored == null ? null : freshTokens.exchange(caller.rawToken(), caller.requestId()));
                    }
                } else if (FILE_FIELD.equals(part.getFieldName())) {
                    if (stored != null) {
                        throw ApiException.badRequest(SECOND_FILE); // which one was meant is anybody's guess
                    }
                    filename = FileNames.clean(fileName(part));
                    // Closed only after a success: closing a part's stream reads the part to its end, and a failed
                    // upload is answered at once, without reading the rest of the body (see FileResource).
                    InputStream content = part.getInputStream();
                    stored = uploader.store(account.tenantId(), account.accountId(), session, account.limits(),
                            content, contentLength);
                    content.close();
                } else {
                    try (InputStream ignored = part.getInputStream()) {
                        ignored.transferTo(OutputStreamNull.INSTANCE);
                    }
                }
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
        if (e instanceof MultipartInput.MalformedStreamException) {
            // commons-fileupload's only reason for it here: the body ended inside a part.
            return ApiException.badRequest(INCOMPLETE);
        }
        LOG.debugf("Malformed upload body: %s", e.toString());
        return ApiException.badRequest(MALFORMED);
    }

    /** The file part's name; commons-fileupload refuses (InvalidPathException) a name holding NUL. */
    private static String fileName(FileItemInput part) {
        try {
            return part.getName() == null ? "file" : part.getName();
        } catch (InvalidPathException e) {
            throw ApiException.badRequest(FileNames.CONTROL_CHARACTERS);
        }
    }

    private static String readField(FileItemInput part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw ApiException.badRequest("The " + part.getFieldName() + " param is too long.");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static FileItemInputIterator parts(InputStream body, String contentType, long contentLength)
            throws IOException {
        try {
            return new StreamingParser().getItemIterator(context(body, contentType, contentLength));
        } catch (IllegalArgumentException e) {
            // What the parser throws for a boundary it cannot use (an empty one).
            throw new FileUploadException(e.getMessage(), e);
        }
    }

    private static RequestContext context(InputStream body, String contentType, long contentLength) {
        return new RequestContext() {
            @Override
            public String getCharacterEncoding() {
                return StandardCharsets.UTF_8.name();
            }

            @Override
            public long getContentLength() {
                return contentLength;
            }

            @Override
            public String getContentType() {
                return contentType;
            }

            @Override
            public InputStream getInputStream() {
                return body;
            }

            @Override
            public boolean isMultipartRelated() {
                return false;
            }
        };
    }

    /** commons-fileupload's core parser without any servlet API: we only use its streaming iterator. */
    private static final class StreamingParser
            extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {
        StreamingParser() {
            setHeaderCharset(StandardCharsets.UTF_8);
            setSizeMax(-1);
            setFileSizeMax(-1);
        }

        @Override
        public FileItemInputIterator getItemIterator(RequestContext request) throws FileUploadException, IOException {
            return super.getItemIterator(request);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request) throws FileUploadException {
            throw new UnsupportedOperationException("streaming only");
        }

        @Override
        public List<DiskFileItem> parseRequest(RequestContext request) throws FileUploadException {
            throw new UnsupportedOperationException("streaming only");
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

    /**
     * commons-fileupload reads its 4 KiB buffer's free space at a time; straight from the request stream each of
     * those reads costs a synchronised look at the connection and a wake-up of the event loop (about a tenth of the
     * upload's CPU in a profile). This single-threaded read-ahead asks the request stream for up to 64 KiB at once
     * (a whole body chunk) and serves the parser's small reads from memory.
     */
    static final class ReadAhead extends InputStream {
        private static final int SIZE = 64 * 1024;
        private final InputStream in;
        private final byte[] buffer = new byte[SIZE];
        private int position;
        private int limit;

        ReadAhead(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            position = 0;
            limit = 0;
            int n = in.read(buffer, 0, SIZE);
            if (n <= 0) {
                return false;
            }
            limit = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            if (position == limit) {
                if (length >= SIZE) {
                    return in.read(target, offset, length); // a large read needs no copy through the buffer
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return limit - position > 0 ? limit - position : in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
