package io.filehost.importworker.service;

import io.filehost.importworker.fetch.FetchFailure;
import io.filehost.importworker.fetch.SafeHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * The remote body on its way to S3: counted, cut off above the size limit, hashed (md5, sha256) through
 * {@link #hash} as the writer stores it. A failure on the
 * remote side is kept as a {@link FetchFailure} so the caller can tell it from an S3 failure once the MinIO client has
 * wrapped the exception.
 */
final class ImportStream extends InputStream {
    private final SafeHttpClient.Response response;
    private final InputStream body;
    private final long maxBytes;
    private final LongConsumer onBytes;
    private final MessageDigest md5;
    private final MessageDigest sha256;
    private long count;
    private volatile FetchFailure failure;

    ImportStream(SafeHttpClient.Response response, long maxBytes, LongConsumer onBytes) {
        this.response = response;
        this.body = response.body();
        this.maxBytes = maxBytes;
        this.onBytes = onBytes;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw new IOException(failure.clientMessage());
        }
        int n;
        try {
            n = body.read(b, off, len);
        } catch (IOException io) {
            failure = response.translate(io);
            throw io;
        }
        if (n > 0) {
            count += n;
            if (maxBytes > 0 && count > maxBytes) {
                failure = new FetchFailure(FetchFailure.TOO_LARGE, "too_large");
                throw new IOException(failure.clientMessage());
            }
            onBytes.accept(count);
        }
        return n;
    }

    /**
     * Every byte stored, once and in order: the writer's observer, called on its part-upload threads, so hashing
     * overlaps with reading the remote instead of slowing the reading thread (profiled: md5 + sha256 were a quarter of
     * file-service's reading thread).
     */
    void hash(byte[] bytes, int length) {
        md5.update(bytes, 0, length);
        sha256.update(bytes, 0, length);
    }

    FetchFailure failure() {
        return failure;
    }

    long count() {
        return count;
    }

    String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
