package io.filehost.importworker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two loopback HTTP servers: the allowed one (its endpoint is the worker's allow-list) and a forbidden one that only
 * counts what reaches it. Also gives the worker a consumer group of its own for this run.
 */
public class TestServers implements QuarkusTestResourceLifecycleManager {
    public static HttpServer allowed;
    public static HttpServer forbidden;
    /** Allowed too, with a self-signed certificate no trust store knows. */
    public static HttpsServer untrustedTls;
    public static final AtomicInteger forbiddenRequests = new AtomicInteger();
    public static final Map<String, AtomicInteger> allowedRequests = new ConcurrentHashMap<>();

    /** Deterministic content: byte i of every generated body. */
    public static byte byteAt(long i) {
        return (byte) (i * 31 + (i >>> 13));
    }

    public static void fill(byte[] buf, long offset, int len) {
        for (int i = 0; i < len; i++) {
            buf[i] = byteAt(offset + i);
        }
    }

    public static int allowedPort() {
        return allowed.getAddress().getPort();
    }

    public static int tlsPort() {
        return untrustedTls.getAddress().getPort();
    }

    /** A throw-away key pair made by the JDK's keytool: certificate for 127.0.0.1/localhost, trusted by nobody. */
    private static SSLContext selfSignedContext() throws Exception {
        Path dir = Files.createTempDirectory("import-tls");
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed");
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        Files.deleteIfExists(store);
        Files.deleteIfExists(dir);
        return context;
    }

    public static int forbiddenPort() {
        return forbidden.getAddress().getPort();
    }

    @Override
    public Map<String, String> start() {
        try {
            forbidden = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            forbidden.createContext("/", exchange -> {
                forbiddenRequests.incrementAndGet();
                exchange.sendResponseHeaders(200, 2);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("no".getBytes());
                }
            });
            forbidden.setExecutor(Executors.newCachedThreadPool());
            forbidden.start();

            allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            allowed.createContext("/", TestServers::serve);
            allowed.setExecutor(Executors.newCachedThreadPool());
            allowed.start();

            untrustedTls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            untrustedTls.setHttpsConfigurator(new HttpsConfigurator(selfSignedContext()));
            untrustedTls.createContext("/", TestServers::serve);
            untrustedTls.setExecutor(Executors.newCachedThreadPool());
            untrustedTls.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        return Map.of(
                "filehost.import.allow", "127.0.0.1:" + allowedPort() + ",127.0.0.1:" + tlsPort(),
                "mp.messaging.incoming.url-import-requests.group.id", "import-worker-test-" + run,
                "mp.messaging.incoming.url-import-retries.group.id", "import-worker-test-" + run,
                "mp.messaging.incoming.url-import-requests.enabled", "true",
                "mp.messaging.incoming.url-import-retries.enabled", "true");
    }

    private static void serve(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        allowedRequests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Map<String, String> query = new ConcurrentHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        long size = Long.parseLong(query.getOrDefault("size", "0"));
        try (exchange) {
            if (path.startsWith("/file/")) {
                if (query.containsKey("cd")) {
                    exchange.getResponseHeaders().add("Content-Disposition",
                            "attachment; filename=\"fallback.bin\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf");
                }
                exchange.getResponseHeaders().add("Content-Type", "application/pdf; charset=binary");
                // chunked (no Content-Length) when asked
                exchange.sendResponseHeaders(200, query.containsKey("chunked") ? 0 : (size == 0 ? -1 : size));
                stream(exchange.getResponseBody(), size);
            } else if (path.equals("/redirect-forbidden")) {
                redirect(exchange, "http://127.0.0.1:" + forbiddenPort() + "/secret");
            } else if (path.equals("/redirect-numeric")) {
                redirect(exchange, "http://2130706433:" + forbiddenPort() + "/secret");
            } else if (path.equals("/redirect-file")) {
                redirect(exchange, "file:///etc/passwd");
            } else if (path.startsWith("/loop")) {
                redirect(exchange, "/loop" + (allowedRequests.get(path).get()) + UUID.randomUUID());
            } else if (path.equals("/redirect-ok")) {
                redirect(exchange, "/file/after-redirect.dat?size=1000");
            } else if (path.equals("/slow")) {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < 600; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (InterruptedException | IOException stop) {
            // the worker hung up: expected for the limit tests
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private static void stream(OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long sent = 0;
        while (sent < size) {
            int n = (int) Math.min(buf.length, size - sent);
            fill(buf, sent, n);
            out.write(buf, 0, n);
            sent += n;
        }
        out.close();
    }

    @Override
    public void stop() {
        if (allowed != null) {
            allowed.stop(0);
        }
        if (forbidden != null) {
            forbidden.stop(0);
        }
        if (untrustedTls != null) {
            untrustedTls.stop(0);
        }
    }
}
