package io.filehost.fileservice.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3 that answers chosen requests with an S3 error document, as a real store does when it is overloaded or out of
 * disk (a 5xx {@code InternalError}/{@code SlowDown}, or a 200 whose body is an {@code <Error>}: S3 starts
 * CompleteMultipartUpload's answer before the work is done). Everything else is passed to the shared S3, one request
 * per S3 connection ({@code Connection: close} towards S3; the signed headers are passed unchanged, so signatures
 * still match). The service under test talks to S3 through it ({@code quarkus.minio.port}).
 */
public class S3Faults implements QuarkusTestResourceLifecycleManager {
    private static final int S3_PORT = 9000;
    private static final AtomicInteger ANSWERED = new AtomicInteger();
    private static volatile Fault fault;
    private static volatile ServerSocket server;

    /** Requests with this method whose query contains {@code queryPart} get {@code status} with S3 error {@code code}. */
    public record Fault(String method, String queryPart, int status, String code) {
        boolean matches(String requestLine) {
            String[] parts = requestLine.split(" ");
            return parts.length >= 2 && parts[0].equals(method) && parts[1].contains("?")
                    && parts[1].substring(parts[1].indexOf('?')).contains(queryPart);
        }
    }

    public static void inject(Fault chosen) {
        ANSWERED.set(0);
        fault = chosen;
    }

    public static void clear() {
        fault = null;
    }

    /** How many requests got the injected answer since {@link #inject}. */
    public static int answered() {
        return ANSWERED.get();
    }

    @Override
    public Map<String, String> start() {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            server = socket;
            Thread.ofVirtual().start(() -> accept(socket));
            return Map.of("quarkus.minio.port", Integer.toString(socket.getLocalPort()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return; // stopped
            }
        }
    }

    private static void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                long length = contentLength(head);
                Fault current = fault;
                if (current != null && current.matches(head.get(0))) {
                    in.skipNBytes(length);
                    ANSWERED.incrementAndGet();
                    writeError(out, current);
                    continue; // the client may reuse the connection, as after any answer with a length
                }
                forward(head, in, length, out);
                return; // S3 closed its side after the answer: so do we
            }
        } catch (IOException e) {
            // the client or S3 went away: nothing to relay any more
        }
    }

    private static void forward(List<String> head, InputStream in, long length, OutputStream out) throws IOException {
        try (Socket s3 = new Socket(InetAddress.getLoopbackAddress(), S3_PORT)) {
            OutputStream toS3 = s3.getOutputStream();
            StringBuilder request = new StringBuilder();
            for (String line : head) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    request.append(line).append("\r\n");
                }
            }
            request.append("Connection: close\r\n\r\n");
            toS3.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            byte[] buffer = new byte[64 * 1024];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("the client stopped mid-body");
                }
                toS3.write(buffer, 0, n);
                left -= n;
            }
            toS3.flush();
            s3.getInputStream().transferTo(out);
            out.flush();
        }
    }

    private static void writeError(OutputStream out, Fault current) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + current.code() + "</Code>"
                + "<Message>Injected by the test: " + current.code() + "</Message><Resource>/</Resource>"
                + "<RequestId>test</RequestId><HostId>test</HostId></Error>").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + current.status() + (current.status() == 200 ? " OK" : " Error") + "\r\n"
                + "Content-Type: application/xml\r\nContent-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request line and header lines, or null at the end of the connection. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
            previous = b;
        }
    }

    private static long contentLength(List<String> head) throws IOException {
        for (String line : head) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:")) {
                throw new IOException("chunked requests are not relayed by this test double");
            }
            if (lower.startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }
}
