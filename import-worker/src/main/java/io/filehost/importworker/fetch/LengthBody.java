package io.filehost.importworker.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Exactly {@code length} bytes; an early end of stream is an error, not a short file. */
final class LengthBody extends BodyStream {
    private final InputStream in;
    private long remaining;

    LengthBody(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed before Content-Length bytes");
        }
        remaining -= n;
        return n;
    }
}
