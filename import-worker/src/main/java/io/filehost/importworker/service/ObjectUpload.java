package io.filehost.importworker.service;

import io.filehost.importworker.config.ImportConfig;
import io.filehost.storage.ObjectWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.InputStream;

/**
 * Streams a fetched body of unknown length into one S3 object through the platform's shared {@link ObjectWriter}
 * (the same writer as file-service's uploads): the import's own thread reads the remote (and hashes, counts, enforces
 * the limit on the way), earlier parts upload meanwhile on the writer's threads, a bounded number in flight, and any
 * failure aborts the multipart upload so no part is left behind.
 * <p>
 * Not {@code MinioClient.putObject(stream, -1, partSize)}: MinIO 8.6 reads the stream inside
 * {@code CompletableFuture.supplyAsync} on the common ForkJoin pool (one thread on a 2-core machine), so one slow remote
 * server would block every other import of the instance until its time limit.
 */
@ApplicationScoped
public class ObjectUpload {
    @Inject
    ObjectWriter writer;

    @Inject
    ImportConfig config;

    /**
     * Uploads everything {@code in} yields; {@code observer} sees every stored byte once, in order (on the writer's
     * threads, done before this returns). Returns the number of bytes stored.
     */
    public long upload(String objectKey, String contentType, InputStream in, ObjectWriter.Observer observer)
            throws Exception {
        int partSize = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(ObjectWriter.MIN_PART_SIZE, config.partSize()));
        return writer.write(objectKey, contentType, in, partSize, observer).size();
    }
}
