package io.filehost.importworker.service;

import com.google.common.collect.ImmutableMultimap;
import io.filehost.importworker.config.ImportConfig;
import io.filehost.storage.StorageConfig;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Streams a body of unknown length into one S3 object, one part at a time, reading the body on the caller's thread.
 * <p>
 * Not {@code MinioClient.putObject(stream, -1, partSize)}: MinIO 8.6 reads the stream inside
 * {@code CompletableFuture.supplyAsync} on the common ForkJoin pool (one thread on a 2-core machine), so one slow remote
 * server blocked every other import of the instance until its time limit (seen in UrlImportTest). Here the remote is
 * read by the import's own worker thread into one reusable part buffer (memory per import = part size), each full part
 * is uploaded before the next is read, and any failure aborts the multipart upload so no part is left behind.
 */
@ApplicationScoped
public class ObjectUpload {
    private static final Logger LOG = Logger.getLogger(ObjectUpload.class);

    @Inject
    MinioClient minio;

    @Inject
    MinioAsyncClient minioAsync;

    @Inject
    StorageConfig storage;

    @Inject
    ImportConfig config;

    /** Uploads everything {@code in} yields; returns the number of bytes stored. */
    public long upload(String objectKey, String contentType, InputStream in) throws Exception {
        byte[] part = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(5L * 1024 * 1024, config.partSize()))];
        int filled = fill(in, part);
        if (filled < part.length) {
            // Fits in one part: a plain PUT of a known length (the stream is in memory, nothing blocks).
            minio.putObject(PutObjectArgs.builder().bucket(storage.bucket()).object(objectKey)
                    .contentType(contentType)
                    .stream(new ByteArrayInputStream(part, 0, filled), filled, -1)
                    .build());
            return filled;
        }
        String bucket = storage.bucket();
        String uploadId = minioAsync.createMultipartUploadAsync(bucket, null, objectKey,
                ImmutableMultimap.of("Content-Type", contentType), null).get().result().uploadId();
        long total = 0;
        try {
            List<Part> parts = new ArrayList<>();
            int number = 1;
            while (filled > 0) {
                UploadPartResponse uploaded = minioAsync.uploadPartAsync(bucket, null, objectKey, part, filled,
                        uploadId, number, null, null).get();
                parts.add(new Part(number, uploaded.etag()));
                total += filled;
                number++;
                filled = fill(in, part);
            }
            minioAsync.completeMultipartUploadAsync(bucket, null, objectKey, uploadId, parts.toArray(new Part[0]),
                    null, null).get();
            return total;
        } catch (ExecutionException failure) {
            abortQuietly(bucket, objectKey, uploadId);
            throw failure.getCause() instanceof Exception cause ? cause : failure;
        } catch (Exception | Error failure) {
            abortQuietly(bucket, objectKey, uploadId);
            throw failure;
        }
    }

    private void abortQuietly(String bucket, String objectKey, String uploadId) {
        try {
            minioAsync.abortMultipartUploadAsync(bucket, null, objectKey, uploadId, null, null).get();
        } catch (Exception e) {
            LOG.warnf("Could not abort multipart upload %s of %s: %s", uploadId, objectKey, e.toString());
        }
    }

    /** Reads until the buffer is full or the stream ends; returns the bytes read. */
    private static int fill(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }
}
