package io.filehost.fileservice.tus;

import io.filehost.common.api.ApiException;
import io.filehost.common.security.Secrets;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.service.FileNames;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.service.LimitRejections;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.service.Uploader;
import io.filehost.storage.MultipartSteps;
import io.filehost.storage.PartBuffers;
import io.filehost.storage.ResumableDigest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Resumable uploads (tus 1.0, docs/tus.md) onto one S3 multipart upload each: creation, where an upload stands,
 * PATCH (its body is a {@link TusChunk}) and termination. A PATCH appends: the bytes after the last full part (the
 * "tail", kept between requests as a small object of its own) are read back and joined by the new bytes into full
 * parts; what is left at the end becomes the new tail. md5 and sha256 run over the new bytes only and their state is
 * saved with the offset, so completion ({@link TusCompletion}) never reads the content back. Expired uploads go in
 * {@link TusSweep}.
 */
@ApplicationScoped
public class TusUploads {
    private static final Logger LOG = Logger.getLogger(TusUploads.class);
    public static final String NOT_FOUND = "Upload not found.";

    @Inject
    TusStore store;

    @Inject
    MultipartSteps s3;

    @Inject
    FileService files;

    @Inject
    Quotas quotas;

    @Inject
    FilesConfig config;

    @Inject
    LimitRejections rejections;

    @Inject
    TusCompletion completion;

    @Inject
    PartBuffers buffers;

    @ConfigProperty(name = "filehost.tus.expiry", defaultValue = "PT24H")
    Duration expiry;

    @ConfigProperty(name = "filehost.tus.lease", defaultValue = "PT30S")
    Duration lease;

    /** The answer to a request that may have completed the upload: where it stands and the file, if any. */
    public record State(TusUpload upload, long offset, FileRecord file) {
    }

    /** POST: a new upload (creation, creation-defer-length); the folder is checked now, before any byte. */
    public TusUpload create(Account account, Long length, boolean deferred, String metadataHeader) {
        if (!account.limits().canUpload()) {
            rejections.count(LimitRejections.CAN_UPLOAD);
            throw new ApiException(403, FileService.UPLOAD_NOT_ALLOWED);
        }
        if (length == null && !deferred) {
            throw ApiException.badRequest("Upload-Length (or Upload-Defer-Length: 1) is required.");
        }
        if (length != null && deferred) {
            throw ApiException.badRequest("Send either Upload-Length or Upload-Defer-Length, not both.");
        }
        if (length != null) {
            checkLength(account, length);
        }
        Map<String, String> metadata = TusMetadata.parse(metadataHeader);
        String filename = FileNames.clean(metadata.getOrDefault("filename", metadata.get("name")));
        String folderParam = metadata.get("folder_id");
        Long folderId = folderParam == null || folderParam.isBlank() ? null
                : files.uploadFolder(folderParam.trim(), account.strictHttp());
        String key = account.tenantId() + "/" + UUID.randomUUID();
        String uploadId;
        try {
            uploadId = s3.start(key, FileNames.OCTET_STREAM);
        } catch (IOException e) {
            throw new Uploader.UploadFailedException("could not start the S3 multipart upload", e);
        }
        ResumableDigest digest = ResumableDigest.start();
        TusUpload upload = new TusUpload(Secrets.randomHex(16), account.tenantId(), account.accountId(), length, 0,
                metadataHeader, filename == null ? "file" : filename, folderId, account.clientIp(), key, uploadId,
                null, 0, digest.md5State(), digest.sha256State(), length == null ? 0 : length,
                TusUpload.RECEIVING, null, Instant.now().plus(expiry));
        boolean created;
        try {
            created = store.create(upload, account.limits().effectiveStorageLimit());
        } catch (RuntimeException e) {
            abortQuietly(upload);
            throw e;
        }
        if (!created) {
            abortQuietly(upload);
            rejections.count(LimitRejections.STORAGE);
            throw ApiException.tooLarge(Quotas.STORAGE_FULL);
        }
        return upload;
    }

    private void checkLength(Account account, long length) {
        if (length == 0) {
            throw ApiException.badRequest(Uploader.ZERO);
        }
        long max = account.limits().maxUploadSize();
        if (max > 0 && length > max) {
            rejections.count(LimitRejections.MAX_UPLOAD_SIZE);
            throw ApiException.tooLarge(Uploader.maxSizeMessage(max));
        }
    }

    /**
     * HEAD: where the upload stands. One whose completion was interrupted (S3 answered "try again" to the last
     * PATCH's CompleteMultipartUpload, or the replica died) is finished first, so that the answer is final: a client
     * resumes with HEAD after a failed PATCH, and an offset equal to the length would otherwise tell it that the upload
     * succeeded before any file exists. If S3 still cannot complete it, HEAD answers the outage (503) and the client
     * retries; the sweep finishes it in any case.
     */
    public State head(Account account, String id) {
        TusUpload upload = store.find(account.tenantId(), account.accountId(), id)
                .filter(u -> u.expiresAt().isAfter(Instant.now()))
                .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        if (TusUpload.COMPLETING.equals(upload.status())) {
            return finishInterrupted(account, id);
        }
        return new State(upload, upload.offset(), fileOf(upload));
    }

    private State finishInterrupted(Account account, String id) {
        UUID token = UUID.randomUUID();
        TusStore.Claim claim = store.claim(account.tenantId(), account.accountId(), id, TusUpload.COMPLETING, token,
                lease);
        switch (claim.state()) {
            case NOT_FOUND -> throw ApiException.notFound(NOT_FOUND);
            case LOCKED -> throw new ApiException(423, "This upload is being completed; retry shortly.");
            case OTHER_STATUS -> {
                // another request finished it meanwhile
                TusUpload now = claim.upload();
                return new State(now, now.offset(), fileOf(now));
            }
            default -> {
            }
        }
        try {
            FileRecord file = completion.finish(claim.upload(), account);
            TusUpload now = store.find(account.tenantId(), account.accountId(), id).orElseThrow();
            return new State(now, now.offset(), file);
        } catch (RuntimeException e) {
            store.release(id, token);
            throw e;
        }
    }

    private FileRecord fileOf(TusUpload upload) {
        return upload.fileId() == null ? null : FileRecord.findById(upload.fileId());
    }

    /**
     * PATCH: appends the body at {@code clientOffset}. Bytes received before the client went away are kept (tus:
     * the client asks HEAD and continues); a chunk with an {@code Upload-Checksum} is kept only whole and matching.
     */
    public State patch(Account account, String id, long clientOffset, Long newLength,
                       TusMetadata.Checksum checksum, long contentLength, InputStream body) {
        UUID token = UUID.randomUUID();
        TusStore.Claim claim = store.claim(account.tenantId(), account.accountId(), id, TusUpload.RECEIVING, token, lease);
        switch (claim.state()) {
            case NOT_FOUND -> throw ApiException.notFound(NOT_FOUND);
            case LOCKED -> throw new ApiException(423, "Another request is writing to this upload; retry shortly.");
            case OTHER_STATUS -> {
                if (TusUpload.COMPLETING.equals(claim.upload().status()) && clientOffset == claim.upload().offset()
                        && contentLength == 0) {
                    // a client retrying its last PATCH (empty, at the end) after S3 failed to complete the upload
                    return finishInterrupted(account, id);
                }
                throw new ApiException(403, "This upload is complete; it takes no more bytes.");
            }
            default -> {
            }
        }
        TusUpload upload = claim.upload();
        boolean released = false;
        UUID session = null;
        try {
            if (upload.offset() != clientOffset) {
                throw new ApiException(409, "Upload-Offset " + clientOffset + " does not match the upload's offset "
                        + upload.offset() + ".");
            }
            Long length = upload.length();
            if (newLength != null) {
                if (length != null && !length.equals(newLength)) {
                    throw ApiException.badRequest("The upload's length is already set to " + length + ".");
                }
                if (newLength < upload.offset()) {
                    throw ApiException.badRequest("Upload-Length is smaller than the bytes already received.");
                }
                checkLength(account, newLength);
                length = newLength;
            }
            if (length != null && contentLength >= 0 && upload.offset() + contentLength > length) {
                throw ApiException.tooLarge("The chunk would pass the upload's length (" + length + " bytes).");
            }
            session = quotas.openSession(account.tenantId(), account.accountId(),
                    account.limits().concurrentUploads());
            TusChunk chunk = new TusChunk(this, account, upload, token, length, claim.partCount(), checksum,
                    contentLength);
            try {
                State state = chunk.receive(body);
                released = true; // committed (or completed) by the chunk
                return state;
            } finally {
                chunk.close();
            }
        } finally {
            if (session != null) {
                quotas.closeSession(session);
            }
            if (!released) {
                store.release(id, token);
            }
        }
    }

    /** DELETE (termination): the S3 upload and tail go, the row and its reservation with them. */
    public void terminate(Account account, String id) {
        UUID token = UUID.randomUUID();
        TusStore.Claim claim = store.claim(account.tenantId(), account.accountId(), id, TusUpload.RECEIVING, token, lease);
        switch (claim.state()) {
            case NOT_FOUND -> throw ApiException.notFound(NOT_FOUND);
            case LOCKED -> throw new ApiException(423, "Another request is writing to this upload; retry shortly.");
            case OTHER_STATUS -> throw new ApiException(403, "This upload is complete; delete its file with "
                    + "/file/delete.");
            default -> {
            }
        }
        try {
            discard(claim.upload());
        } catch (IOException e) {
            store.release(id, token);
            throw new Uploader.UploadFailedException("could not abort the S3 multipart upload", e);
        }
    }

    /** Aborts the S3 upload, removes the tail, then the row: a crash in between leaves work for the sweep only. */
    void discard(TusUpload upload) throws IOException {
        s3.abort(upload.objectKey(), upload.s3UploadId());
        if (upload.tailKey() != null) {
            s3.remove(upload.tailKey());
        }
        store.delete(upload.id());
    }

    private void abortQuietly(TusUpload upload) {
        try {
            s3.abort(upload.objectKey(), upload.s3UploadId());
        } catch (IOException e) {
            LOG.warnf("Could not abort multipart upload of %s (%s)", upload.objectKey(), e.getMessage());
        }
    }
}
