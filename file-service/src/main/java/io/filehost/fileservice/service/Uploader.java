package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.filehost.common.failure.FailureLog;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.storage.MeteredStream;
import io.filehost.storage.ObjectWriter;
import io.filehost.storage.S3Cleanup;
import io.filehost.storage.StorageConfig;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.UUID;

/**
 * Streams one upload into S3 without knowing its length: {@link ObjectWriter} reads it in parts of
 * {@link FilesConfig#partSize()} in the request's thread and uploads the previous parts meanwhile (a bounded number
 * in flight), so memory does not grow with the file and reading from the client overlaps writing to S3. On the way
 * the bytes are counted (in the reading thread) and hashed once, MD5 and SHA-256, by the writer's {@link
 * ObjectWriter.Observer} in an upload thread, part after part, so hashing does not slow the reading thread, which
 * bounds a streamed upload's throughput; the package's size limit and the storage quota are
 * enforced while streaming, and any failure aborts the upload (the writer aborts the multipart upload when the stream
 * fails) and releases the reservation.
 * <p>
 * Quota is reserved ahead of the bytes in a few large steps ({@link #wantedStep}): the declared body length at once
 * when there is one, else steps that double the reservation, so a GiB costs about ten transactions, not one per MiB.
 * An account without a quota reserves nothing; its session only holds the upload slot (and is kept alive by
 * {@link Quotas}' heartbeat, not by the stream).
 */
@ApplicationScoped
public class Uploader {
    public static final String ZERO = "Filesize received was zero.";

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    ObjectWriter writer;

    @Inject
    S3Cleanup cleanup;

    @Inject
    FilesConfig config;

    @Inject
    Quotas quotas;

    @Inject
    LimitRejections rejections;

    @Inject
    FailureLog failures;

    /** The bytes now in S3 under {@code objectKey}, and the quota reserved for them (to convert or release). */
    public record Stored(long tenantId, long accountId, UUID session, String objectKey, long size, String md5,
                         String sha256) {
    }

    public static String maxSizeMessage(long limit) {
        return "The file is larger than the maximum upload size allowed for your account (" + limit + " bytes).";
    }

    /**
     * Streams into a new object, reserving quota for {@code session}; the caller closes or converts the session.
     * {@code declaredLength}: an upper bound of the content's length known before it is read (the request's
     * Content-Length: the multipart body bounds the file), or -1; it sizes the first reservation.
     */
    public Stored store(long tenantId, long accountId, UUID session, PackageLimits limits, InputStream content,
                        long declaredLength) {
        PushbackInputStream in = new PushbackInputStream(content, 1);
        try {
            int first = in.read();
            if (first < 0) {
                throw ApiException.badRequest(ZERO);
            }
            in.unread(first);
        } catch (IOException e) {
            throw new BodyFailedException(e);
        }
        String key = tenantId + "/" + UUID.randomUUID();
        LimitedStream metered = new LimitedStream(in, tenantId, accountId, session, limits, declaredLength);
        try {
            writer.write(key, FileNames.OCTET_STREAM, metered, Math.toIntExact(config.partSize()), metered::hash);
        } catch (Exception e) {
            // A single-part object may already exist if the failure came after S3 accepted it; remove to be sure.
            deleteQuietly(key);
            if (metered.rejection != null) {
                throw metered.rejection;
            }
            if (metered.sourceFailure() != null) {
                throw new BodyFailedException(metered.sourceFailure()); // the client's side, not S3's
            }
            throw new UploadFailedException("upload to S3 failed", e);
        }
        return new Stored(tenantId, accountId, session, key, metered.count(), metered.md5Hex(), metered.sha256Hex());
    }

    /** Undoes {@link #store} for an upload that will not become a file (its session is closed by the caller). */
    public void discard(Stored stored) {
        deleteQuietly(stored.objectKey());
    }

    public void deleteQuietly(String key) {
        try {
            minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(key).build());
        } catch (Exception e) {
            // Through the shared log: during an S3 outage every failed upload lands here, and one WARN line per window
            // says it, not one per upload.
            failures.report(e, "removing object " + key + " (retried until S3 takes it)");
            cleanup.removeLater(key);
        }
    }

    public static final class UploadFailedException extends RuntimeException {
        public UploadFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The upload's content could not be read (the client's body broke or was malformed): the caller decides. */
    public static final class BodyFailedException extends RuntimeException {
        public BodyFailedException(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * How many bytes the next reservation step asks for, when {@code count} bytes were read and {@code reserved} are
     * reserved ({@code count > reserved}): the declared length for the first step when there is one (it bounds the
     * file; one transaction for the whole upload), else the reservation doubles — {@code firstStep}, then as much
     * again as is held, at most {@code maxStep} at once — so a GiB takes 9 steps with the defaults (8 MiB first, 256
     * MiB at most) and the part reserved but never used stays below the bytes read so far (and {@code maxStep}).
     * Never beyond the package's upload size ({@code maxSize}, 0 = none), never less than what was already read.
     */
    static long wantedStep(long count, long reserved, long declared, long maxSize, long firstStep, long maxStep) {
        long needed = count - reserved;
        long wanted = reserved == 0 && declared > 0 ? declared : Math.min(Math.max(firstStep, reserved), maxStep);
        if (maxSize > 0) {
            wanted = Math.min(wanted, maxSize - reserved);
        }
        return Math.max(wanted, needed);
    }

    /**
     * Enforces the package's size limit and reserves quota while the upload is read; a breach stops the stream, which
     * fails (and aborts) the S3 upload. Counting, hashing and telling the client's failures from S3's are the storage
     * module's {@link MeteredStream}.
     */
    private final class LimitedStream extends MeteredStream {
        final long tenantId;
        final long accountId;
        final UUID session;
        final long maxSize;
        final long quota;
        final long declared;
        long reserved;
        ApiException rejection;

        LimitedStream(InputStream in, long tenantId, long accountId, UUID session, PackageLimits limits,
                      long declared) {
            super(in);
            this.tenantId = tenantId;
            this.accountId = accountId;
            this.session = session;
            this.maxSize = limits.maxUploadSize();
            this.quota = limits.effectiveStorageLimit();
            this.declared = declared;
        }

        @Override
        protected void counted(long count) throws IOException {
            if (maxSize > 0 && count > maxSize) {
                rejections.count(LimitRejections.MAX_UPLOAD_SIZE);
                reject(ApiException.tooLarge(maxSizeMessage(maxSize)));
            }
            if (quota > 0 && count > reserved) {
                long wanted = wantedStep(count, reserved, declared, maxSize, config.reservationStep(),
                        config.reservationMaxStep());
                // The first step of a declared body is its real size (an upper bound), not a guess.
                boolean speculative = reserved > 0 || declared <= 0;
                long granted = quotas.reserve(session, tenantId, accountId, reserved, count - reserved, wanted,
                        speculative, quota);
                if (granted < 0) {
                    rejections.count(LimitRejections.STORAGE);
                    reject(ApiException.tooLarge(Quotas.STORAGE_FULL));
                }
                reserved += granted;
            }
        }

        private void reject(ApiException e) throws IOException {
            rejection = e;
            throw new IOException(e.getMessage());
        }
    }
}
