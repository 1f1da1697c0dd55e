package io.filehost.importworker.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Transfer-Encoding: chunked, trailers skipped. */
final class ChunkedBody extends BodyStream {
    private final InputStream in;
    private long remainingInChunk;
    private boolean done;

    ChunkedBody(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                skipTrailers();
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remainingInChunk));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remainingInChunk -= n;
        if (remainingInChunk == 0) {
            String crlf = line();
            if (!crlf.isEmpty()) {
                throw new ProtocolViolation("chunk end");
            }
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String sizeLine = line();
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
        if (!hex.matches("[0-9a-fA-F]{1,15}")) {
            throw new ProtocolViolation("chunk size");
        }
        return Long.parseLong(hex, 16);
    }

    private void skipTrailers() throws IOException {
        for (int i = 0; i < SafeHttpClient.MAX_HEADERS; i++) {
            if (line().isEmpty()) {
                return;
            }
        }
        throw new ProtocolViolation("trailers");
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed inside chunk framing");
            }
            if (c == '\n') {
                int len = s.length();
                if (len > 0 && s.charAt(len - 1) == '\r') {
                    s.setLength(len - 1);
                }
                return s.toString();
            }
            if (s.length() > SafeHttpClient.MAX_LINE) {
                throw new ProtocolViolation("chunk line");
            }
            s.append((char) c);
        }
    }
}
