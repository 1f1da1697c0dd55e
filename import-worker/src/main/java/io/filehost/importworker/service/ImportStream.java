package io.filehost.importworker.service;

import io.filehost.importworker.fetch.FetchFailure;
import io.filehost.importworker.fetch.SafeHttpClient;
import io.filehost.storage.MeteredStream;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * The remote body on its way to S3 (counted and hashed by the storage module's {@link MeteredStream}): cut off above
 * the size limit, progress reported, and a failure on the remote side kept as a {@link FetchFailure}, classified when
 * it happens (a deadline passing later must not change what it was), so the caller can tell it from an S3 failure
 * once the MinIO client has wrapped the exception.
 */
final class ImportStream extends MeteredStream {
    private final SafeHttpClient.Response response;
    private final long maxBytes;
    private final LongConsumer onBytes;
    private volatile FetchFailure failure;

    ImportStream(SafeHttpClient.Response response, long maxBytes, LongConsumer onBytes) {
        super(response.body());
        this.response = response;
        this.maxBytes = maxBytes;
        this.onBytes = onBytes;
    }

    @Override
    protected void counted(long total) throws IOException {
        if (maxBytes > 0 && total > maxBytes) {
            failure = new FetchFailure(FetchFailure.TOO_LARGE, "too_large");
            throw new IOException(failure.clientMessage());
        }
        onBytes.accept(total);
    }

    @Override
    protected void sourceFailed(IOException io) {
        failure = response.translate(io);
    }

    FetchFailure failure() {
        return failure;
    }
}
