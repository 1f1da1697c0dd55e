package io.filehost.importworker.fetch;

import java.io.IOException;
import java.io.InputStream;

/** A response body read in blocks; the single-byte read is only there for completeness (nobody reads byte-wise). */
abstract class BodyStream extends InputStream {
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
