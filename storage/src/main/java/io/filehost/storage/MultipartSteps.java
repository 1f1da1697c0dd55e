package io.filehost.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Part;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The steps of one S3 multipart upload, one call each, for an upload whose bytes arrive over many requests (and
 * replicas): {@link ObjectWriter} owns a multipart upload from start to end inside one call, this class lets the
 * caller keep the upload id and the part list in its database between calls. Parts go unsigned like
 * {@link ObjectWriter}'s when the store allows it (see {@link PartUploadClient}).
 */
@ApplicationScoped
public class MultipartSteps {
    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig config;

    private boolean unsigned;
    private MinioAsyncClient partClient;

    @PostConstruct
    void init() {
        unsigned = config.upload().unsignedPayload();
        partClient = unsigned ? new PartUploadClient(s3) : s3;
    }

    /** Starts a multipart upload of {@code key}; returns its upload id. */
    public String start(String key, String contentType) throws IOException {
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", contentType);
        return call(() -> s3.createMultipartUploadAsync(config.bucket(), null, key, headers, null)).result().uploadId();
    }

    /** Uploads {@code bytes[0..length)} as part {@code partNumber}; completes with the part's ETag. */
    public CompletableFuture<String> uploadPart(String key, String uploadId, int partNumber, byte[] bytes, int length) {
        try {
            Object data = unsigned ? bytes : new ByteArrayInputStream(bytes, 0, length);
            return partClient.uploadPartAsync(config.bucket(), null, key, data, length, uploadId, partNumber, null,
                    null).thenApply(response -> response.etag());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Joins the parts (in part-number order) into the object. */
    public void complete(String key, String uploadId, List<Part> parts) throws IOException {
        call(() -> s3.completeMultipartUploadAsync(config.bucket(), null, key, uploadId, parts.toArray(Part[]::new),
                null, null));
    }

    /** Drops the upload and every part S3 holds for it. An upload S3 no longer knows counts as aborted. */
    public void abort(String key, String uploadId) throws IOException {
        try {
            call(() -> s3.abortMultipartUploadAsync(config.bucket(), null, key, uploadId, null, null));
        } catch (IOException e) {
            if (!isNotFound(e.getCause())) {
                throw e;
            }
        }
    }

    /** A small whole object (a resumable upload's bytes after its last full part). */
    public void putSmall(String key, byte[] bytes, int length) throws IOException {
        call(() -> s3.putObject(PutObjectArgs.builder().bucket(config.bucket()).object(key)
                .stream(new ByteArrayInputStream(bytes, 0, length), length, -1)
                .contentType("application/octet-stream").build()));
    }

    /** Reads the whole small object {@code key} into {@code target} from index 0; returns the bytes read. */
    public int readSmall(String key, byte[] target) throws IOException {
        try (InputStream in = call(() -> s3.getObject(GetObjectArgs.builder().bucket(config.bucket()).object(key)
                .build()))) {
            return in.readNBytes(target, 0, target.length);
        }
    }

    /** The object's size, or -1 when it does not exist. */
    public long size(String key) throws IOException {
        try {
            return call(() -> s3.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(key).build())).size();
        } catch (IOException e) {
            if (isNotFound(e.getCause())) {
                return -1;
            }
            throw e;
        }
    }

    public void remove(String key) throws IOException {
        call(() -> s3.removeObject(RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build()));
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof ErrorResponseException error && error.errorResponse() != null
                && ("NoSuchUpload".equals(error.errorResponse().code())
                || "NoSuchKey".equals(error.errorResponse().code()));
    }

    /** Waits for an S3 call; its failure becomes an IOException whose cause is S3's answer or the transport's. */
    public static <T> T await(CompletableFuture<T> call) throws IOException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for S3");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IOException("S3 call failed: " + cause, cause);
        }
    }

    /** As {@link #await(CompletableFuture)} for the client's calls that declare checked exceptions. */
    private static <T> T call(Call<T> call) throws IOException {
        CompletableFuture<T> future;
        try {
            future = call.start();
        } catch (Exception e) {
            throw new IOException("S3 call failed: " + e, e);
        }
        return await(future);
    }

    @FunctionalInterface
    private interface Call<T> {
        CompletableFuture<T> start() throws Exception;
    }
}
