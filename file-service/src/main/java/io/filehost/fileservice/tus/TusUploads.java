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
import io.filehost.storage.ResumableDigest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minio.messages.Part;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Resumable uploads (tus 1.0, docs/tus.md) onto one S3 multipart upload each. A PATCH appends: the bytes after the
 * last full part (the "tail", kept between requests as a small object of its own) are read back and joined by the new
 * bytes into full parts; what is left at the end becomes the new tail. md5 and sha256 run over the new bytes only and
 * their state is saved with the offset, so completion never reads the content back: it is S3's
 * CompleteMultipartUpload plus the file row, the same row {@code /file/upload} makes.
 */
@ApplicationScoped
public class TusUploads {
    private static final Logger LOG = Logger.getLogger(TusUploads.class);
    public static final String NOT_FOUND = "Upload not found.";
    private static final int MAX_READ = 64 * 1024;
    private static final long RENEW_NANOS = 10_000_000_000L;

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
    MeterRegistry registry;

    @ConfigProperty(name = "filehost.tus.expiry", defaultValue = "PT24H")
    Duration expiry;

    @ConfigProperty(name = "filehost.tus.lease", defaultValue = "PT30S")
    Duration lease;

    @ConfigProperty(name = "filehost.tus.completed-retention", defaultValue = "PT24H")
    Duration completedRetention;

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

    /** HEAD: where the upload stands (a completing one is finished first, so the answer is final). */
    public State head(Account account, String id) {
        TusUpload upload = store.find(account.tenantId(), account.accountId(), id)
                .filter(u -> u.expiresAt().isAfter(Instant.now()))
                .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        return new State(upload, upload.offset(), fileOf(upload));
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
        TusStore.Claim claim = store.claim(account.tenantId(), account.accountId(), id, token, lease);
        switch (claim.state()) {
            case NOT_FOUND -> throw ApiException.notFound(NOT_FOUND);
            case LOCKED -> throw new ApiException(423, "Another request is writing to this upload; retry shortly.");
            case NOT_RECEIVING -> throw new ApiException(403, "This upload is complete; it takes no more bytes.");
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
            Chunk chunk = new Chunk(account, upload, token, length, claim.partCount(), checksum, contentLength);
            State state = chunk.receive(body);
            released = true; // committed (or completed) by the chunk
            return state;
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
        TusStore.Claim claim = store.claim(account.tenantId(), account.accountId(), id, token, lease);
        switch (claim.state()) {
            case NOT_FOUND -> throw ApiException.notFound(NOT_FOUND);
            case LOCKED -> throw new ApiException(423, "Another request is writing to this upload; retry shortly.");
            case NOT_RECEIVING -> throw new ApiException(403, "This upload is complete; delete its file with "
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
    private void discard(TusUpload upload) throws IOException {
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

    /**
     * Completes an upload whose bytes are all in S3 (status completing): CompleteMultipartUpload, then the file row
     * with the upload rules in one transaction. Idempotent: a retry after a crash between the two finds the object
     * already complete.
     */
    FileRecord finish(TusUpload upload, Account account) {
        List<Part> parts = store.parts(upload.id());
        long started = System.nanoTime();
        try {
            s3.complete(upload.objectKey(), upload.s3UploadId(), parts);
        } catch (IOException e) {
            long size;
            try {
                size = s3.size(upload.objectKey());
            } catch (IOException again) {
                throw new Uploader.UploadFailedException("could not complete the S3 multipart upload", e);
            }
            if (size != upload.length()) {
                throw new Uploader.UploadFailedException("could not complete the S3 multipart upload", e);
            }
        }
        long stored = System.nanoTime();
        completion("store").record(stored - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        String[] digests = ResumableDigest.restore(upload.md5State(), upload.sha256State()).finishHex();
        FileService.Content content = new FileService.Content(upload.objectKey(), upload.length(), digests[0],
                digests[1]);
        FileService.NewRecord created = QuarkusTransaction.requiringNew().call(() -> {
            quotas.lock(upload.tenantId(), upload.accountId());
            quotas.use(upload.tenantId(), upload.accountId(), upload.length());
            FileService.NewRecord record = files.insertRecord(account, content, upload.filename(), upload.folderId(),
                    "api");
            store.completed(upload.id(), record.file().id, Instant.now().plus(completedRetention));
            return record;
        });
        files.afterCommit(created);
        completion("ours").record(System.nanoTime() - stored, java.util.concurrent.TimeUnit.NANOSECONDS);
        return created.file();
    }

    /**
     * Time from the last byte to the answer, in two parts: the store's CompleteMultipartUpload (S3Proxy's filesystem
     * backend concatenates the parts, seconds per GiB; MinIO does not) and ours (digests, file row, quota).
     */
    private Timer completion(String part) {
        return Timer.builder("filehost.tus.completion").tag("part", part)
                .description("resumable upload completion, the store's CompleteMultipartUpload vs ours")
                .register(registry);
    }

    /** Every minute, on one replica at a time per upload: expired uploads go, interrupted completions finish. */
    @Scheduled(every = "${filehost.tus.sweep-interval:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledSweep() {
        sweep();
    }

    /** Returns how many uploads it acted on. */
    public int sweep() {
        UUID token = UUID.randomUUID();
        int done = 0;
        for (TusUpload upload : store.claimForSweep(token, lease.multipliedBy(4), 50)) {
            try {
                if (TusUpload.COMPLETED.equals(upload.status())) {
                    store.delete(upload.id());
                } else if (TusUpload.COMPLETING.equals(upload.status())) {
                    finish(upload, new Account(upload.tenantId(), upload.accountId(), null, null, upload.clientIp(),
                            false));
                } else {
                    discard(upload);
                }
                done++;
            } catch (Exception e) {
                store.release(upload.id(), token);
                LOG.warnf("Resumable upload %s: sweep failed (%s); the next sweep retries", upload.id(),
                        e.getMessage());
            }
        }
        return done;
    }

    /** One PATCH body: reads, hashes, cuts into parts (one part in flight while the next is read), commits. */
    private final class Chunk {
        final Account account;
        final TusUpload upload;
        final UUID token;
        final Long length;
        final MessageDigest checksumDigest;
        final TusMetadata.Checksum checksum;
        final long contentLength;
        final int partSize = Math.toIntExact(config.partSize());
        final ResumableDigest digest;
        final List<Part> newParts = new ArrayList<>();
        final List<Long> newPartSizes = new ArrayList<>();
        byte[] buffer = new byte[partSize];
        byte[] spare;
        int fill;
        int nextPart;
        long received;
        long reserved;
        long lastRenew = System.nanoTime();
        CompletableFuture<String> inFlight;
        int inFlightNumber;
        long inFlightSize;

        Chunk(Account account, TusUpload upload, UUID token, Long length, int partCount,
              TusMetadata.Checksum checksum, long contentLength) {
            this.account = account;
            this.upload = upload;
            this.token = token;
            this.length = length;
            this.checksum = checksum;
            this.checksumDigest = checksum == null ? null : digest(checksum.jdkAlgorithm());
            this.contentLength = contentLength;
            this.nextPart = partCount + 1;
            this.digest = ResumableDigest.restore(upload.md5State(), upload.sha256State());
            this.reserved = upload.reserved();
        }

        State receive(InputStream body) {
            try {
                if (upload.tailSize() > 0) {
                    fill = s3.readSmall(upload.tailKey(), buffer);
                    if (fill != upload.tailSize()) {
                        throw new IOException("tail object " + upload.tailKey() + " holds " + fill + " bytes, not "
                                + upload.tailSize());
                    }
                }
            } catch (IOException e) {
                throw new Uploader.UploadFailedException("could not read the upload's stored tail", e);
            }
            boolean clientGone = false;
            try {
                // A body shorter than its Content-Length is a client that went away, whatever the stream said.
                clientGone = read(body) || contentLength >= 0 && received < contentLength;
                if (!clientGone && length != null && upload.offset() + received == length && body.read() >= 0) {
                    throw ApiException.tooLarge("The chunk passes the upload's length (" + length + " bytes).");
                }
            } catch (IOException e) {
                throw new Uploader.UploadFailedException("S3 part upload failed", e);
            }
            awaitInFlight();
            if (checksum != null) {
                if (clientGone) {
                    throw ApiException.badRequest("The chunk ended early; a chunk with a checksum is kept only whole.");
                }
                if (!Arrays.equals(checksumDigest.digest(), checksum.expected())) {
                    throw new ApiException(460, "Checksum mismatch: the chunk was discarded.");
                }
            }
            long offset = upload.offset() + received;
            boolean complete = length != null && offset == length;
            return complete ? complete(offset) : commit(offset);
        }

        /** Reads the body until it ends or the upload's length is reached; true when the client went away. */
        private boolean read(InputStream body) throws IOException {
            while (true) {
                long room = partSize - fill;
                if (length != null) {
                    room = Math.min(room, length - upload.offset() - received);
                    if (room == 0 && fill < partSize) {
                        return false;
                    }
                }
                int n;
                try {
                    n = body.read(buffer, fill, (int) Math.min(MAX_READ, room));
                } catch (IOException clientFailure) {
                    LOG.debugf("Resumable upload %s: the client went away after %d bytes (%s)", upload.id(),
                            received, clientFailure.getMessage());
                    return true;
                }
                if (n < 0) {
                    return false;
                }
                digest.update(buffer, fill, n);
                if (checksumDigest != null) {
                    checksumDigest.update(buffer, fill, n);
                }
                fill += n;
                received += n;
                account();
                if (fill == partSize) {
                    sendPart();
                }
            }
        }

        /** Size limit and, for a deferred length, quota in steps; the lease stays alive meanwhile. */
        private void account() {
            long total = upload.offset() + received;
            long max = account.limits().maxUploadSize();
            if (length == null && max > 0 && total > max) {
                rejections.count(LimitRejections.MAX_UPLOAD_SIZE);
                throw ApiException.tooLarge(Uploader.maxSizeMessage(max));
            }
            if (length == null && total > reserved) {
                // growing steps (doubling, capped), as streaming uploads of unknown length reserve
                long step = Math.max(total - reserved, Math.min(config.reservationMaxStep(),
                        Math.max(config.reservationStep(), reserved)));
                if (max > 0) {
                    step = Math.min(step, Math.max(max - reserved, total - reserved));
                }
                if (!store.reserve(upload, step, account.limits().effectiveStorageLimit())) {
                    if (!store.reserve(upload, total - reserved, account.limits().effectiveStorageLimit())) {
                        rejections.count(LimitRejections.STORAGE);
                        throw ApiException.tooLarge(Quotas.STORAGE_FULL);
                    }
                    step = total - reserved;
                }
                reserved += step;
            }
            if (System.nanoTime() - lastRenew > RENEW_NANOS) {
                lastRenew = System.nanoTime();
                // (the upload session is heartbeated by Quotas for the whole process)
                if (!store.renew(upload.id(), token, lease)) {
                    throw new ApiException(423, "Another request took this upload over.");
                }
            }
        }

        private void sendPart() {
            awaitInFlight();
            inFlight = s3.uploadPart(upload.objectKey(), upload.s3UploadId(), nextPart, buffer, fill);
            inFlightNumber = nextPart++;
            inFlightSize = fill;
            byte[] next = spare == null ? new byte[partSize] : spare;
            spare = buffer;
            buffer = next;
            fill = 0;
        }

        private void awaitInFlight() {
            if (inFlight == null) {
                return;
            }
            try {
                String etag = MultipartSteps.await(inFlight);
                newParts.add(new Part(inFlightNumber, etag));
                newPartSizes.add(inFlightSize);
            } catch (IOException e) {
                throw new Uploader.UploadFailedException("S3 part upload failed", e);
            } finally {
                inFlight = null;
            }
        }

        private State commit(long offset) {
            String tailKey = null;
            if (fill > 0) {
                tailKey = upload.objectKey() + ".tail." + offset;
                try {
                    s3.putSmall(tailKey, buffer, fill);
                } catch (IOException e) {
                    throw new Uploader.UploadFailedException("could not store the upload's tail", e);
                }
            }
            boolean saved = store.progress(upload.id(), token, new TusStore.Progress(offset, length, tailKey, fill,
                    digest.md5State(), digest.sha256State(), newParts, newPartSizes, TusUpload.RECEIVING,
                    Instant.now().plus(expiry)));
            if (!saved) {
                removeQuietly(tailKey);
                throw new ApiException(423, "Another request took this upload over.");
            }
            if (upload.tailKey() != null && !upload.tailKey().equals(tailKey)) {
                removeQuietly(upload.tailKey());
            }
            TusUpload now = store.find(upload.tenantId(), upload.accountId(), upload.id()).orElseThrow();
            return new State(now, offset, null);
        }

        private State complete(long offset) {
            if (fill > 0 || newParts.isEmpty() && nextPart == 1) {
                sendPart(); // the last part may be smaller than the others
                awaitInFlight();
            }
            boolean saved = store.progress(upload.id(), token, new TusStore.Progress(offset, length, null, 0,
                    digest.md5State(), digest.sha256State(), newParts, newPartSizes, TusUpload.COMPLETING,
                    Instant.now().plus(expiry)));
            if (!saved) {
                throw new ApiException(423, "Another request took this upload over.");
            }
            if (upload.tailKey() != null) {
                removeQuietly(upload.tailKey());
            }
            TusUpload completing = store.find(upload.tenantId(), upload.accountId(), upload.id()).orElseThrow();
            FileRecord file = finish(completing, account);
            return new State(completing, offset, file);
        }

        private void removeQuietly(String key) {
            if (key == null) {
                return;
            }
            try {
                s3.remove(key);
            } catch (IOException e) {
                LOG.warnf("Could not remove %s (%s); the orphan sweep will", key, e.getMessage());
            }
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
