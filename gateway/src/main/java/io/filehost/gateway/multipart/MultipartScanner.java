package io.filehost.gateway.multipart;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An incremental scanner of a {@code multipart/form-data} body (RFC 7578 on RFC 2046) that only <em>observes</em>: it
 * is fed the raw chunks as they arrive, in any split, and records the values of the small text fields it is asked for.
 * It never copies or transforms the body itself and never holds a file part.
 *
 * <p>Why hand-written rather than Netty's {@code HttpPostMultipartRequestDecoder} or Vert.x's form/upload handling:
 * those decode the whole body into attributes and file uploads, buffering parts (in memory or on disk) and handing
 * out decoded data, while the gateway must forward the body byte-for-byte to file-service and needs nothing from it
 * but two short fields (access_token, account_id) that may come before or after a multi-gigabyte file part. Watching
 * the bytes go by with a boundary matcher is both cheaper and the only way to keep the forwarded body exact.
 *
 * <p>Matching: the delimiter is {@code CRLF "--" boundary}; the body is treated as if it started with a CRLF so the
 * first delimiter (which has none) matches the same way. A Knuth-Morris-Pratt automaton carries a partial match
 * across chunk borders, so a boundary split anywhere between two chunks is found.
 */
public final class MultipartScanner {
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private enum State {
        PREAMBLE, AFTER_DELIMITER, CLOSE_DASH, PADDING, DELIMITER_LF, HEADERS, BODY, EPILOGUE
    }

    private final byte[] delimiter;
    private final int[] fallback;
    private final Predicate<String> captured;
    private final int maxValueBytes;

    private State state = State.PREAMBLE;
    private int matched;
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();
    private ByteArrayOutputStream value;
    private String partName;
    private boolean valueOverflow;
    private long position;

    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    /**
     * @param boundary      the boundary from the Content-Type
     * @param captured      names of the non-file fields whose values to keep
     * @param maxValueBytes longest value kept per field; a longer one is kept truncated (it can only be invalid)
     */
    public MultipartScanner(String boundary, Predicate<String> captured, int maxValueBytes) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.fallback = failureFunction(delimiter);
        this.captured = captured;
        this.maxValueBytes = maxValueBytes;
        // The virtual CRLF in front of the body: the first delimiter may be the very first bytes.
        this.matched = 2;
    }

    /** Feeds the next chunk of the body. Chunks are only read, never kept. */
    public void feed(Buffer chunk) {
        ByteBuf buf = chunk.getByteBuf();
        if (buf.hasArray()) {
            feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
        } else {
            byte[] bytes = chunk.getBytes();
            feed(bytes, 0, bytes.length);
        }
    }

    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        position += length;
        for (int i = offset; i < end; i++) {
            byte c = bytes[i];
            switch (state) {
                case PREAMBLE, BODY -> {
                    // Fast path: outside a partial match, most bytes cannot start the delimiter.
                    if (matched == 0 && c != '\r') {
                        if (value != null) {
                            capture(c);
                        }
                        continue;
                    }
                    while (matched > 0 && delimiter[matched] != c) {
                        matched = fallback[matched - 1];
                    }
                    if (delimiter[matched] == c) {
                        matched++;
                    }
                    if (value != null) {
                        capture(c);
                    }
                    if (matched == delimiter.length) {
                        matched = 0;
                        if (state == State.BODY) {
                            endOfPart();
                        }
                        state = State.AFTER_DELIMITER;
                    }
                }
                case AFTER_DELIMITER -> {
                    if (c == '-') {
                        state = State.CLOSE_DASH;
                    } else if (c == '\r') {
                        state = State.DELIMITER_LF;
                    } else if (c == ' ' || c == '\t') {
                        state = State.PADDING;
                    } else {
                        throw malformed("unexpected byte after a boundary");
                    }
                }
                case CLOSE_DASH -> {
                    if (c != '-') {
                        throw malformed("unexpected byte after a boundary");
                    }
                    state = State.EPILOGUE;
                }
                case PADDING -> {
                    if (c == '\r') {
                        state = State.DELIMITER_LF;
                    } else if (c != ' ' && c != '\t') {
                        throw malformed("unexpected byte after a boundary");
                    }
                }
                case DELIMITER_LF -> {
                    if (c != '\n') {
                        throw malformed("boundary line not ended by CRLF");
                    }
                    headers.reset();
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    headers.write(c);
                    if (headers.size() > MAX_HEADER_BYTES) {
                        throw malformed("part headers too long");
                    }
                    if (c == '\n' && headersComplete()) {
                        startPart();
                        state = State.BODY;
                    }
                }
                case EPILOGUE -> {
                    return;
                }
            }
        }
    }

    /** True once the closing delimiter ({@code --boundary--}) has been seen. */
    public boolean complete() {
        return state == State.EPILOGUE;
    }

    /** To call when the body has ended: a body that stops inside a part is malformed. */
    public void finish() {
        if (state != State.EPILOGUE) {
            throw malformed(state == State.PREAMBLE ? "no boundary found" : "body ended before the closing boundary");
        }
    }

    /** First value of a captured field, or {@code null}. */
    public String first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every captured field, in arrival order. */
    public Map<String, List<String>> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** Bytes consumed so far. */
    public long position() {
        return position;
    }

    private boolean headersComplete() {
        int size = headers.size();
        byte[] bytes = headers.toByteArray();
        // A part without any header ends its header block at once with an empty line.
        if (size == 2) {
            return bytes[0] == '\r';
        }
        return size >= 4 && bytes[size - 4] == '\r' && bytes[size - 3] == '\n' && bytes[size - 2] == '\r';
    }

    private void startPart() {
        String block = headers.toString(StandardCharsets.UTF_8);
        String disposition = null;
        String current = null;
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                // obsolete line folding: continuation of the previous header
                if ("content-disposition".equals(current)) {
                    disposition = disposition + " " + line.trim();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("part header without a colon");
            }
            current = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if ("content-disposition".equals(current)) {
                disposition = line.substring(colon + 1).trim();
            }
        }
        partName = null;
        value = null;
        valueOverflow = false;
        if (disposition == null) {
            return;
        }
        Map<String, String> params = HeaderParams.parse(disposition);
        boolean filePart = params.containsKey("filename") || params.containsKey("filename*");
        String name = params.get("name");
        if (!filePart && name != null && captured.test(name)) {
            partName = name;
            value = new ByteArrayOutputStream();
        }
    }

    private void capture(byte c) {
        // Keep the value plus room for the delimiter, whose bytes pass through here before it is recognised.
        if (value.size() < maxValueBytes + delimiter.length) {
            value.write(c);
        } else {
            valueOverflow = true;
        }
    }

    private void endOfPart() {
        if (value == null) {
            return;
        }
        byte[] bytes = value.toByteArray();
        int length = valueOverflow ? maxValueBytes : Math.max(0, bytes.length - delimiter.length);
        fields.computeIfAbsent(partName, k -> new ArrayList<>(1))
                .add(new String(bytes, 0, Math.min(length, maxValueBytes), StandardCharsets.UTF_8));
        value = null;
        partName = null;
    }

    private MalformedMultipartException malformed(String why) {
        return new MalformedMultipartException("Malformed multipart body (within the first " + position + " bytes): " + why);
    }

    private static int[] failureFunction(byte[] pattern) {
        int[] f = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = f[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }
}
