package io.filehost.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An object's source on its way to {@link ObjectWriter}: every read is counted in the reading thread, and a subclass's
 * {@link #counted} may stop the stream by throwing (a size limit, a quota), which fails and aborts the write. What the
 * source itself throws is kept ({@link #sourceFailure()}), so the caller can tell the source's failure from S3's once
 * the MinIO client has wrapped the exception. Once stopped, every further read fails the same way.
 * <p>
 * The bytes are hashed (MD5 and SHA-256) not in {@link #read} but by {@link #hash}, passed to the writer as its
 * {@link ObjectWriter.Observer}: the writer calls it on its part-upload threads, once per byte and in order, so hashing
 * overlaps with reading instead of slowing the reading thread, which bounds a streamed upload's throughput (profiled:
 * MD5 + SHA-256 in the reading thread were a quarter of its time).
 */
public class MeteredStream extends FilterInputStream {
    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest sha256 = digest("SHA-256");
    private long count;
    private IOException sourceFailure;
    private IOException stopped;

    public MeteredStream(InputStream source) {
        super(source);
    }

    /**
     * Called in the reading thread after every read that returned bytes, with the number read so far; throwing stops
     * the stream. Nothing by default.
     */
    protected void counted(long total) throws IOException {
    }

    /** Called in the reading thread when the source throws, before the exception goes on. Nothing by default. */
    protected void sourceFailed(IOException failure) {
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (stopped != null) {
            throw new IOException(stopped.getMessage());
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            sourceFailure = e;
            stopped = e;
            sourceFailed(e);
            throw e;
        }
        if (n > 0) {
            count += n;
            try {
                counted(count);
            } catch (IOException limit) {
                stopped = limit;
                throw limit;
            }
        }
        return n;
    }

    /** Every byte stored, once and in order: {@link ObjectWriter.Observer}'s contract (one call at a time). */
    public void hash(byte[] bytes, int length) {
        md5.update(bytes, 0, length);
        sha256.update(bytes, 0, length);
    }

    /** The bytes read so far. */
    public long count() {
        return count;
    }

    /** What reading the source threw, or null: the source's side, as opposed to S3 failing. */
    public IOException sourceFailure() {
        return sourceFailure;
    }

    /** Once the writer returned (it has observed every byte by then). */
    public String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    /** Once the writer returned (it has observed every byte by then). */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported while hashing");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
