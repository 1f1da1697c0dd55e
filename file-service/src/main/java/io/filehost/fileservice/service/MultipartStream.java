package io.filehost.fileservice.service;

import org.apache.commons.fileupload2.core.ParameterParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming reader of a {@code multipart/form-data} body (RFC 7578 on RFC 2046) for /file/upload: parts one after
 * the other, each part's content an InputStream read straight from the request, nothing buffered beyond 64 KiB.
 * <p>
 * Why not commons-fileupload's streaming iterator any more: its delimiter search looks at every byte of the body
 * ({@code MultipartInput.findSeparator}, a third of file-service's CPU per uploaded GiB in a profile), and reads its
 * 4 KiB buffer through one more copy. Here the delimiter ({@code CRLF "--" boundary}, 40+ bytes from browsers and
 * curl) is searched with Boyer–Moore–Horspool, which skips up to the delimiter's length per comparison, as Jetty's
 * {@code MultiPart.Parser} (through its {@code SearchPattern}) and Netty's multipart decoder do; neither parser
 * stands alone (Jetty's needs its Content/Chunk I/O model, Netty's its HttpContent pipeline and buffers parts), hence
 * this class. Header parameters (name, filename, RFC 2231 {@code filename*}) are still commons-fileupload's
 * {@link ParameterParser}, so names are read exactly as before.
 * <p>
 * The gateway has its own observer of multipart bodies ({@code gateway/multipart/MultipartScanner}, KMP); a shared
 * scanner would belong in a library module both use, not here.
 */
public final class MultipartStream {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** The body is not multipart as declared (no boundary, bad delimiter line, header block too long). */
    public static class MalformedException extends IOException {
        public MalformedException(String message) {
            super(message);
        }
    }

    /** The body ended before the closing delimiter. */
    public static final class IncompleteException extends MalformedException {
        public IncompleteException(String message) {
            super(message);
        }
    }

    /** One part: its form field name, its file name (null for a plain field), its content until the delimiter. */
    public record Part(String fieldName, String fileName, InputStream content) {
        public boolean isFormField() {
            return fileName == null;
        }
    }

    private final InputStream in;
    /** {@code CRLF "--" boundary} */
    private final byte[] delimiter;
    /** Horspool's shift per byte value: how far the delimiter can move when that byte ends the window. */
    private final int[] shift = new int[256];
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean eof;
    private boolean started;
    private boolean closed;
    private PartContent current;

    public MultipartStream(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[Math.max(BUFFER, 2 * delimiter.length + MAX_HEADER_BYTES)];
        Arrays.fill(shift, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
        }
    }

    /** The boundary parameter of a multipart Content-Type. */
    public static String boundary(String contentType) throws MalformedException {
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        String boundary = parser.parse(contentType, new char[]{';', ','}).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new MalformedException("no usable boundary in the Content-Type");
        }
        return boundary;
    }

    /** The next part, or null after the closing delimiter. The previous part's content is skipped to its end. */
    public Part next() throws IOException {
        if (closed) {
            return null;
        }
        if (current != null) {
            current.skipToEnd();
        } else if (!started) {
            skipPreamble();
        }
        started = true;
        // after a delimiter: "--" closes the body; otherwise optional transport padding, then CRLF
        if (!ensure(2)) {
            throw new IncompleteException("the body ended after a delimiter");
        }
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            closed = true;
            return null;
        }
        while (true) {
            if (!ensure(2)) {
                throw new IncompleteException("the body ended after a delimiter");
            }
            byte b = buffer[position];
            if (b == ' ' || b == '\t') {
                position++;
            } else if (b == '\r' && buffer[position + 1] == '\n') {
                position += 2;
                break;
            } else {
                throw new MalformedException("a delimiter line not ended by CRLF");
            }
        }
        Map<String, String> headers = headers();
        String disposition = headers.get("content-disposition");
        current = new PartContent();
        return new Part(fieldName(disposition), fileName(disposition), current);
    }

    /** The body may start with the delimiter without its CRLF, or with a preamble before a whole delimiter. */
    private void skipPreamble() throws IOException {
        int dashLength = delimiter.length - 2;
        if (ensure(dashLength) && Arrays.equals(buffer, position, position + dashLength, delimiter, 2,
                delimiter.length)) {
            position += dashLength;
            return;
        }
        while (true) {
            int found = search();
            if (found >= 0) {
                position = found + delimiter.length;
                return;
            }
            position = limit - Math.min(limit - position, delimiter.length - 1);
            if (!more()) {
                throw new IncompleteException("no delimiter in the body");
            }
        }
    }

    /** Header lines until the empty one, names lower-cased; a folded line continues the previous value. */
    private Map<String, String> headers() throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        int total = 0;
        String last = null;
        while (true) {
            int end = lineEnd();
            String line = new String(buffer, position, end - position, StandardCharsets.UTF_8);
            total += end - position + 2;
            position = end + 2;
            if (total > MAX_HEADER_BYTES) {
                throw new MalformedException("a part's header block is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                headers.merge(last, " " + line.strip(), String::concat);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("a part header without a name");
            }
            last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.putIfAbsent(last, line.substring(colon + 1).strip());
        }
    }

    /** Index of the CR of the next CRLF at or after position (with the whole line in the buffer). */
    private int lineEnd() throws IOException {
        int scanned = 0; // bytes after position already looked at
        while (true) {
            for (int i = position + scanned; i + 1 < limit; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    return i;
                }
            }
            if (limit - position > MAX_HEADER_BYTES) {
                throw new MalformedException("a part's header block is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            scanned = Math.max(0, limit - position - 1);
            if (!more()) {
                throw new IncompleteException("the body ended inside a part's headers");
            }
        }
    }

    /** commons-fileupload's reading of a Content-Disposition (form-data or attachment): the name parameter. */
    private static String fieldName(String disposition) {
        Map<String, String> params = dispositionParams(disposition);
        String name = params == null ? null : params.get("name");
        return name == null ? null : name.trim();
    }

    /** The filename parameter (RFC 2231 decoded), "" when present without value, null for a plain field. */
    private static String fileName(String disposition) {
        Map<String, String> params = dispositionParams(disposition);
        if (params == null || !params.containsKey("filename")) {
            return null;
        }
        String name = params.get("filename");
        return name == null ? "" : name.trim();
    }

    private static Map<String, String> dispositionParams(String disposition) {
        if (disposition == null) {
            return null;
        }
        String lower = disposition.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("form-data") && !lower.startsWith("attachment")) {
            return null;
        }
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        return parser.parse(disposition, ';');
    }

    /**
     * The first index at or after position where the whole delimiter stands in the buffer, or -1. Horspool: the
     * window's last byte says how far the delimiter may move, up to its whole length.
     */
    private int search() {
        int m = delimiter.length;
        int last = m - 1;
        byte lastByte = delimiter[last];
        int i = position;
        while (i + m <= limit) {
            byte b = buffer[i + last];
            if (b == lastByte && Arrays.equals(buffer, i, i + last, delimiter, 0, last)) {
                return i;
            }
            i += shift[b & 0xff];
        }
        return -1;
    }

    /** The first index at or after position where the delimiter may still start (no match wholly before it). */
    private int safeEnd() {
        return Math.max(position, limit - delimiter.length + 1);
    }

    /** True when at least {@code n} bytes are buffered from position on (reading more if needed). */
    private boolean ensure(int n) throws IOException {
        while (limit - position < n) {
            if (!more()) {
                return false;
            }
        }
        return true;
    }

    /** Moves the unread bytes to the buffer's start and reads more; false at the body's end. */
    private boolean more() throws IOException {
        if (eof) {
            return false;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** A part's content: the bytes up to the next delimiter, which it consumes at its end. */
    private final class PartContent extends InputStream {
        /** Bytes from position to here are content for sure (the delimiter cannot start before). */
        private int contentEnd = -1;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, target.length);
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            while (contentEnd <= position) {
                if (!locate()) {
                    ended = true;
                    current = null;
                    return -1;
                }
            }
            int n = Math.min(length, contentEnd - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        /**
         * Finds how far the content goes in the buffer: to a delimiter (then, when the content before it is all
         * read, consumes the delimiter and returns false), or to where a delimiter could still begin.
         */
        private boolean locate() throws IOException {
            while (true) {
                int found = search();
                if (found == position) {
                    position += delimiter.length;
                    return false;
                }
                if (found > position) {
                    contentEnd = found;
                    return true;
                }
                int safe = safeEnd();
                if (safe > position) {
                    contentEnd = safe;
                    return true;
                }
                if (!more()) {
                    throw new IncompleteException("the body ended inside a part");
                }
            }
        }

        void skipToEnd() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }

        @Override
        public void close() throws IOException {
            skipToEnd();
        }
    }
}
