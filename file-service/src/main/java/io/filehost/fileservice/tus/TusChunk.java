package io.filehost.fileservice.tus;

import io.filehost.common.api.ApiException;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.service.LimitRejections;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.service.Uploader;
import io.filehost.storage.MultipartSteps;
import io.filehost.storage.ResumableDigest;
import io.minio.messages.Part;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** One PATCH body: reads, hashes, cuts into parts (one part in flight while the next is read), commits. */
final class TusChunk {
    private static final Logger LOG = Logger.getLogger(TusChunk.class);
    private static final int MAX_READ = 64 * 1024;
    private static final long RENEW_NANOS = 10_000_000_000L;

    final TusUploads uploads;
    final TusStore store;
    final MultipartSteps s3;
    final Account account;
    final TusUpload upload;
    final UUID token;
    final Long length;
    final MessageDigest checksumDigest;
    final TusMetadata.Checksum checksum;
    final long contentLength;
    final int partSize;
    final ResumableDigest digest;
    final List<Part> newParts = new ArrayList<>();
    final List<Long> newPartSizes = new ArrayList<>();
    byte[] buffer;
    byte[] spare;
    int fill;
    int nextPart;
    long received;
    long reserved;
    long lastRenew = System.nanoTime();
    CompletableFuture<String> inFlight;
    int inFlightNumber;
    long inFlightSize;

    TusChunk(TusUploads uploads, Account account, TusUpload upload, UUID token, Long length, int partCount,
             TusMetadata.Checksum checksum, long contentLength) {
        this.uploads = uploads;
        this.store = uploads.store;
        this.s3 = uploads.s3;
        this.partSize = Math.toIntExact(uploads.config.partSize());
        this.buffer = uploads.buffers.take(partSize);
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

    TusUploads.State receive(InputStream body) {
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
            uploads.rejections.count(LimitRejections.MAX_UPLOAD_SIZE);
            throw ApiException.tooLarge(Uploader.maxSizeMessage(max));
        }
        if (length == null && total > reserved) {
            // growing steps (doubling, capped), as streaming uploads of unknown length reserve
            long step = Math.max(total - reserved, Math.min(uploads.config.reservationMaxStep(),
                    Math.max(uploads.config.reservationStep(), reserved)));
            if (max > 0) {
                step = Math.min(step, Math.max(max - reserved, total - reserved));
            }
            if (!store.reserve(upload, step, account.limits().effectiveStorageLimit())) {
                if (!store.reserve(upload, total - reserved, account.limits().effectiveStorageLimit())) {
                    uploads.rejections.count(LimitRejections.STORAGE);
                    throw ApiException.tooLarge(Quotas.STORAGE_FULL);
                }
                step = total - reserved;
            }
            reserved += step;
        }
        if (System.nanoTime() - lastRenew > RENEW_NANOS) {
            lastRenew = System.nanoTime();
            // (the upload session is heartbeated by Quotas for the whole process)
            if (!store.renew(upload.id(), token, uploads.lease)) {
                throw new ApiException(423, "Another request took this upload over.");
            }
        }
    }

    private void sendPart() {
        awaitInFlight();
        inFlight = s3.uploadPart(upload.objectKey(), upload.s3UploadId(), nextPart, buffer, fill);
        inFlightNumber = nextPart++;
        inFlightSize = fill;
        byte[] next = spare == null ? uploads.buffers.take(partSize) : spare;
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

    private TusUploads.State commit(long offset) {
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
                Instant.now().plus(uploads.expiry)));
        if (!saved) {
            removeQuietly(tailKey);
            throw new ApiException(423, "Another request took this upload over.");
        }
        if (upload.tailKey() != null && !upload.tailKey().equals(tailKey)) {
            removeQuietly(upload.tailKey());
        }
        TusUpload now = store.find(upload.tenantId(), upload.accountId(), upload.id()).orElseThrow();
        return new TusUploads.State(now, offset, null);
    }

    private TusUploads.State complete(long offset) {
        if (fill > 0 || newParts.isEmpty() && nextPart == 1) {
            sendPart(); // the last part may be smaller than the others
            awaitInFlight();
        }
        boolean saved = store.progress(upload.id(), token, new TusStore.Progress(offset, length, null, 0,
                digest.md5State(), digest.sha256State(), newParts, newPartSizes, TusUpload.COMPLETING,
                Instant.now().plus(uploads.expiry)));
        if (!saved) {
            throw new ApiException(423, "Another request took this upload over.");
        }
        if (upload.tailKey() != null) {
            removeQuietly(upload.tailKey());
        }
        TusUpload completing = store.find(upload.tenantId(), upload.accountId(), upload.id()).orElseThrow();
        FileRecord file = uploads.completion.finish(completing, account);
        return new TusUploads.State(completing, offset, file);
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

    /**
     * Hands the part buffers back for the next request; one still being sent (the request failed meanwhile) goes
     * back when its upload settles, never earlier.
     */
    void close() {
        uploads.buffers.give(buffer);
        if (spare != null) {
            if (inFlight == null) {
                uploads.buffers.give(spare);
            } else {
                byte[] sending = spare;
                inFlight.whenComplete((etag, failure) -> uploads.buffers.give(sending));
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
