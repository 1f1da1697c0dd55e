package io.filehost.importworker.fetch;

import io.filehost.importworker.config.ImportConfig;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately small HTTP/1.1 GET client on a plain socket, because the safe-fetch rules need what
 * {@code java.net.http.HttpClient} does not offer: connecting to an address we checked ourselves while sending the
 * original Host header and SNI (the JDK client resolves the name again and forbids setting Host), following redirects
 * by hand with a check per hop, and a wall-clock limit that also stops a server dribbling one byte at a time. One
 * request per connection ({@code Connection: close}), no proxy, no compression, no cookies, no credentials.
 */
public class SafeHttpClient {
    static final int MAX_LINE = 8192;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 100;

    private final TargetPolicy policy;
    private final ImportConfig config;
    private final ScheduledExecutorService timer;

    public SafeHttpClient(TargetPolicy policy, ImportConfig config, ScheduledExecutorService timer) {
        this.policy = policy;
        this.config = config;
        this.timer = timer;
    }

    /** An answered GET; the caller reads {@link #body()} and must close it. */
    public static final class Response implements AutoCloseable {
        private final URI url;
        private final int status;
        private final Map<String, String> headers;
        private final Connection connection;
        private final InputStream body;
        private final long contentLength;

        Response(URI url, int status, Map<String, String> headers, Connection connection, InputStream body,
                 long contentLength) {
            this.url = url;
            this.status = status;
            this.headers = headers;
            this.connection = connection;
            this.body = body;
            this.contentLength = contentLength;
        }

        public URI url() {
            return url;
        }

        public int status() {
            return status;
        }

        /** Header value by lower-case name (the first one when repeated). */
        public String header(String name) {
            return headers.get(name);
        }

        public InputStream body() {
            return body;
        }

        /** -1 when the server sent no length (chunked or until close). */
        public long contentLength() {
            return contentLength;
        }

        /** The client message for a read failure of the body. */
        public FetchFailure translate(IOException io) {
            return connection.translate(io);
        }

        /** True when the wall-clock limit of the import closed the connection. */
        public boolean deadlinePassed() {
            return connection.deadlinePassed();
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    /** GETs {@code url}, following redirects, each hop checked; {@code deadline} is a {@link System#nanoTime()}. */
    public Response get(URI url, long deadline) throws FetchFailure {
        URI current = url;
        for (int hop = 0; ; hop++) {
            Target target = policy.check(current);
            Connection connection = connect(target, deadline);
            boolean handedOver = false;
            try {
                Head head = connection.exchange(target, current);
                if (isRedirect(head.status) && head.headers.containsKey("location")) {
                    if (hop >= config.maxRedirects()) {
                        throw new FetchFailure(FetchFailure.TOO_MANY_REDIRECTS, "too_many_redirects");
                    }
                    current = resolveLocation(current, head.headers.get("location"));
                    continue;
                }
                if (head.status != 200 && head.status != 203) {
                    throw FetchFailure.httpStatus(head.status);
                }
                InputStream body = connection.body(head);
                handedOver = true;
                return new Response(current, head.status, head.headers, connection, body, head.contentLength);
            } catch (IOException io) {
                throw connection.translate(io);
            } finally {
                if (!handedOver) {
                    connection.close();
                }
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI resolveLocation(URI base, String location) throws FetchFailure {
        try {
            URI from = base.getRawPath() == null || base.getRawPath().isEmpty()
                    ? new URI(base.getScheme() + "://" + base.getRawAuthority() + "/") : base;
            // Raw components stay as the server encoded them (a %2F stays %2F); non-ASCII is percent-encoded and the
            // fragment, never sent, is dropped.
            String next = from.resolve(new URI(location.trim())).toASCIIString();
            int hash = next.indexOf('#');
            return new URI(hash >= 0 ? next.substring(0, hash) : next);
        } catch (URISyntaxException | IllegalArgumentException invalid) {
            throw new FetchFailure(FetchFailure.BAD_RESPONSE, "bad_response");
        }
    }

    private Connection connect(Target target, long deadline) throws FetchFailure {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
            throw new FetchFailure(FetchFailure.TOO_SLOW, "timeout");
        }
        Socket raw = new Socket(Proxy.NO_PROXY);
        Connection connection = new Connection(raw, deadline);
        try {
            int connectMs = (int) Math.max(1, Math.min(config.connectTimeout().toMillis(), remainingMs));
            raw.connect(new InetSocketAddress(target.address(), target.port()), connectMs);
            raw.setSoTimeout((int) Math.max(1, config.readTimeout().toMillis()));
            raw.setTcpNoDelay(true);
            if (target.https()) {
                // TLS over the socket we connected to the checked address; the certificate is verified against the
                // URL's host name (endpoint identification) and SNI names that host, so the pinning of the address
                // does not weaken certificate checking.
                SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
                SSLSocket tls = (SSLSocket) factory.createSocket(raw, target.host(), target.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!target.hostIsLiteral()) {
                    parameters.setServerNames(List.of(new SNIHostName(target.host())));
                }
                tls.setSSLParameters(parameters);
                connection.upgrade(tls);
                tls.startHandshake();
            }
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            connection.close();
            if (e instanceof SSLException) {
                throw new FetchFailure(FetchFailure.TLS, "tls");
            }
            if (e instanceof IOException io) {
                throw connection.translate(io);
            }
            throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
        }
    }

    private record Head(int status, Map<String, String> headers, long contentLength, boolean chunked) {
    }

    /** One socket, closed by the watchdog when the import's deadline passes. */
    final class Connection implements AutoCloseable {
        private Socket socket;
        private final long deadline;
        private final ScheduledFuture<?> watchdog;
        private volatile boolean expired;
        private InputStream in;

        Connection(Socket socket, long deadline) {
            this.socket = socket;
            this.deadline = deadline;
            this.watchdog = timer.schedule(() -> {
                expired = true;
                closeQuietly();
            }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        void upgrade(Socket tls) {
            this.socket = tls;
        }

        boolean deadlinePassed() {
            return expired || System.nanoTime() - deadline >= 0;
        }

        FetchFailure translate(IOException io) {
            if (deadlinePassed()) {
                return new FetchFailure(FetchFailure.TOO_SLOW, "timeout");
            }
            if (io instanceof SSLException) {
                return new FetchFailure(FetchFailure.TLS, "tls");
            }
            if (io instanceof SocketTimeoutException) {
                return new FetchFailure(FetchFailure.NO_ANSWER, "timeout");
            }
            if (io instanceof ConnectException || io instanceof NoRouteToHostException) {
                return new FetchFailure(FetchFailure.UNREACHABLE, "unreachable");
            }
            if (io instanceof ProtocolViolation) {
                return new FetchFailure(FetchFailure.BAD_RESPONSE, "bad_response");
            }
            return new FetchFailure(FetchFailure.BROKEN, "broken");
        }

        Head exchange(Target target, URI url) throws IOException {
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            String query = url.getRawQuery();
            String target0 = query == null ? path : path + "?" + query;
            if (target0.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
                throw new ProtocolViolation("request target");
            }
            String request = "GET " + target0 + " HTTP/1.1\r\n"
                    + "Host: " + target.hostHeader() + "\r\n"
                    + "User-Agent: " + config.userAgent() + "\r\n"
                    + "Accept: */*\r\n"
                    + "Accept-Encoding: identity\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            while (true) {
                Head head = readHead();
                if (head.status >= 100 && head.status < 200) {
                    continue; // 100 Continue and friends precede the real answer
                }
                return head;
            }
        }

        private Head readHead() throws IOException {
            int[] budget = {MAX_HEADER_BYTES};
            String statusLine = readLine(budget);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
                throw new ProtocolViolation("status line");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[1].matches("[0-9]{3}")) {
                throw new ProtocolViolation("status line");
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            int count = 0;
            String contentLength = null;
            while (true) {
                String line = readLine(budget);
                if (line == null) {
                    throw new ProtocolViolation("headers");
                }
                if (line.isEmpty()) {
                    break;
                }
                if (++count > MAX_HEADERS) {
                    throw new ProtocolViolation("too many headers");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolViolation("header");
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    if (contentLength != null && !contentLength.equals(value)) {
                        throw new ProtocolViolation("conflicting content-length");
                    }
                    contentLength = value;
                }
                headers.putIfAbsent(name, value);
            }
            String transferEncoding = headers.get("transfer-encoding");
            boolean chunked = transferEncoding != null
                    && transferEncoding.toLowerCase(Locale.ROOT).trim().endsWith("chunked");
            long length = -1;
            if (!chunked && contentLength != null) {
                if (!contentLength.matches("[0-9]{1,18}")) {
                    throw new ProtocolViolation("content-length");
                }
                length = Long.parseLong(contentLength);
            }
            if (status == 204 || status == 304) {
                length = 0;
            }
            return new Head(status, headers, length, chunked);
        }

        private String readLine(int[] budget) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return line.isEmpty() ? null : line.toString();
                }
                if (--budget[0] < 0 || line.length() > MAX_LINE) {
                    throw new ProtocolViolation("header too large");
                }
                if (c == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
        }

        InputStream body(Head head) {
            if (head.chunked) {
                return new ChunkedBody(in);
            }
            if (head.contentLength >= 0) {
                return new LengthBody(in, head.contentLength);
            }
            return in;
        }

        private void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() {
            watchdog.cancel(false);
            closeQuietly();
        }
    }
}
