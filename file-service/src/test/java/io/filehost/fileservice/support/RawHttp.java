package io.filehost.fileservice.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 client on a plain socket, for what no HTTP library sends: malformed multipart bodies, a body cut short
 * while the connection stays open, a throttled body whose sender notes how much it had sent when the answer arrived.
 */
public final class RawHttp {
    /** The answer, how many body bytes had been written when its first byte arrived, and whether the server closed. */
    public record Answer(int status, Map<String, String> headers, String body, long sentWhenAnswered,
                         boolean closedAfter) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes the body in pieces; may pause between them. */
    public interface Body {
        void writeTo(OutputStream out, AtomicLong sent) throws IOException, InterruptedException;
    }

    private RawHttp() {
    }

    public static String head(String path, Map<String, String> headers) {
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** Sends the whole of {@code body} at once (keeping the connection open afterwards) and reads the answer. */
    public static Answer send(int port, String head, byte[] body) throws Exception {
        return send(port, head, (out, sent) -> {
            out.write(body);
            out.flush();
            sent.addAndGet(body.length);
        });
    }

    /**
     * Sends {@code head} then the body, in another thread, while this one waits for the answer; the sender stops at
     * the first write that fails (the server closed). The answer's body is read by its Content-Length.
     */
    public static Answer send(int port, String head, Body body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            AtomicLong sent = new AtomicLong();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    body.writeTo(out, sent);
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: stop sending
                }
            });
            try {
                InputStream in = socket.getInputStream();
                int first = in.read();
                long sentWhenAnswered = sent.get();
                if (first < 0) {
                    throw new IOException("connection closed without an answer");
                }
                String statusLine = (char) first + line(in);
                int status = Integer.parseInt(statusLine.split(" ")[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim());
                }
                String length = headers.get("content-length");
                byte[] answer = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
                socket.setSoTimeout(10_000);
                boolean closed;
                try {
                    closed = in.read() < 0;
                } catch (SocketTimeoutException e) {
                    closed = false;
                } catch (IOException e) {
                    closed = true; // reset
                }
                return new Answer(status, headers, new String(answer, StandardCharsets.UTF_8), sentWhenAnswered,
                        closed);
            } finally {
                sender.interrupt();
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
