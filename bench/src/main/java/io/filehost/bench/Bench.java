package io.filehost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.http.Method;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The file path's figures as ratios against the direct baselines measured in the same run on the same machine:
 * P1 upload through the gateway ÷ direct S3 PUT of the same generated stream, P2 download through the download URL ÷
 * direct S3 GET, P3 heap of gateway and file-service during both, P5 /file/copy latency of the large file.
 * Usage (through ./dev bench): Bench [sizeMiB]. Talks to 127.0.0.1 only.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GATEWAY = System.getProperty("fh.gateway.url", "http://127.0.0.1:8080");
    private static final String AUTH_ADMIN = System.getProperty("fh.auth.url", "http://127.0.0.1:8081");
    private static final Path STATE = Path.of(System.getProperty("fh.state", ".local"));
    private static final String BUCKET = System.getProperty("fh.bucket", "filehost");
    private static final long PART_SIZE = 16L * 1024 * 1024;
    /** Where each service serves Prometheus metrics: the gateway on its management port (8080 before it had one). */
    private static final Map<String, List<String>> METRICS = Map.of(
            "gateway", List.of("http://127.0.0.1:8090/q/metrics", "http://127.0.0.1:8080/q/metrics"),
            "file-service", List.of("http://127.0.0.1:8082/q/metrics"));

    /**
     * HTTP/1.1 on every path. The JDK client's default (HTTP/2) upgrades plain-text connections to h2c where the server
     * offers it (gateway, file-service) but not with S3Proxy: the baselines would then run on another protocol than the
     * paths they are compared with. {@code -Dfh.http2=true} measures the gateway's h2c path instead.
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(Boolean.getBoolean("fh.http2") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
    private final MinioClient s3 = MinioClient.builder().endpoint("127.0.0.1", 9000, false)
            .credentials(System.getProperty("fh.s3.access", "filehost"), System.getProperty("fh.s3.secret", "filehost-secret"))
            .build();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("import")) {
            new Bench().urlImport((args.length > 1 ? Long.parseLong(args[1]) : 256L) * 1024 * 1024);
            return;
        }
        if (args.length > 0 && args[0].equals("listing")) {
            new Bench().listing(args.length > 1 ? Integer.parseInt(args[1]) : 10_000, 100);
            return;
        }
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024L) * 1024 * 1024;
        new Bench().run(size);
    }

    /**
     * P8: /folder/listing of a folder holding {@code files} files and {@code folders} sub-folders, through the
     * gateway, and how many calls folder-service makes to file-service per listing (file-service's request metrics).
     */
    private void listing(int files, int folders) throws Exception {
        String[] credentials = newAccount();
        String token = credentials[0];
        String accountId = credentials[1];
        String parent = call("folder/create", token, accountId, Map.of("folder_name", "p8-" + UUID.randomUUID()))
                .at("/data/id").asText();
        for (int i = 0; i < folders; i++) {
            call("folder/create", token, accountId, Map.of("folder_name", "sub " + i, "parent_id", parent));
        }
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger throttled = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService uploaders = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (int i = 0; i < files; i++) {
            int n = i;
            uploaders.execute(() -> {
                String boundary = "p8" + n;
                String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n"
                        + token + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n" + accountId
                        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"folder_id\"\r\n\r\n"
                        + parent + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"file-" + n
                        + ".txt\"\r\nContent-Type: text/plain\r\n\r\ncontent of file " + n + " " + UUID.randomUUID()
                        + "\r\n--" + boundary + "--\r\n";
                HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v2/file/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                // The gateway rate-limits per account: a client that is told to slow down waits and tries again.
                for (int attempt = 0; attempt < 50; attempt++) {
                    try {
                        String answer = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                        if (answer.contains("\"file_id\"")) {
                            return;
                        }
                        if (!answer.contains("request limit")) {
                            break;
                        }
                        throttled.incrementAndGet();
                        Thread.sleep(200);
                    } catch (Exception e) {
                        break;
                    }
                }
                failures.incrementAndGet();
            });
        }
        uploaders.shutdown();
        uploaders.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
        say("set-up: %d uploads slowed down by the rate limit", throttled.get());
        say("set-up: %d files uploaded into one folder in %.1f s (%d failed), %d sub-folders", files, seconds(t0),
                failures.get(), folders);

        for (int i = 0; i < 3; i++) {
            call("folder/listing", token, accountId, Map.of("parent_folder_id", parent));
        }
        double callsBefore = internalCalls();
        int rounds = 20;
        List<Double> times = new ArrayList<>();
        JsonNode last = null;
        for (int i = 0; i < rounds; i++) {
            t0 = System.nanoTime();
            last = call("folder/listing", token, accountId, Map.of("parent_folder_id", parent));
            times.add(seconds(t0) * 1000);
        }
        double callsPerListing = (internalCalls() - callsBefore) / rounds;
        Collections.sort(times);
        say("P8 /folder/listing (%d folders, %d files, %d bytes of JSON): median %.0f ms, p95 %.0f ms, max %.0f ms "
                        + "(goal <= 300 ms); %.1f calls to file-service per listing",
                last.at("/data/folders").size(), last.at("/data/files").size(), last.toString().length(),
                times.get(rounds / 2), times.get((int) (rounds * 0.95) - 1), times.get(rounds - 1), callsPerListing);
    }

    /** Requests file-service has served on its internal endpoints, from its Prometheus metrics. */
    private double internalCalls() throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(METRICS.get("file-service").get(0))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/internal/")) {
                String value = line.substring(line.indexOf("} ") + 2).trim();
                int space = value.indexOf(' ');
                total += Double.parseDouble(space < 0 ? value : value.substring(0, space));
            }
        }
        return total;
    }

    private void run(long size) throws Exception {
        String[] credentials = newAccount();
        String token = credentials[0];
        String accountId = credentials[1];
        say("size %d MiB, part size %d MiB, gateway %s", size >> 20, PART_SIZE >> 20, GATEWAY);

        // P1 baseline: the same generated stream straight into S3 with the same client-side part size.
        String directKey = "bench/" + UUID.randomUUID();
        long t0 = System.nanoTime();
        s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object(directKey)
                .stream(new GeneratedStream(size, 1), -1, PART_SIZE).build());
        double directPut = seconds(t0);

        HeapSampler heap = new HeapSampler();
        heap.start();
        t0 = System.nanoTime();
        JsonNode uploaded = upload(token, accountId, size, 2);
        double gatewayPut = seconds(t0);
        String fileId = uploaded.at("/data/0/file_id").asText();
        if (fileId.isEmpty()) {
            throw new IllegalStateException("upload through the gateway failed: " + uploaded);
        }

        // P2: the same HTTP client reads the object straight from S3 (a presigned GET), from file-service around the
        // gateway (where the time goes), and through the download URL, so only the path differs.
        String presigned = s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
                .bucket(BUCKET).object(directKey).expiry(600).build());
        double[] direct = timedGet(presigned, Map.of(), size);
        String downloadUrl = call("file/download", token, accountId, Map.of("file_id", fileId))
                .at("/data/download_url").asText();
        String aroundGateway = downloadUrl.replace(GATEWAY + "/", "http://127.0.0.1:8082/public/");
        double[] service = timedGet(aroundGateway, Map.of("X-Tenant-Id", "1"), size);
        double[] gateway = timedGet(downloadUrl, Map.of(), size);
        heap.stop();
        double directGet = direct[0];
        double gatewayGet = gateway[0];

        // P5: copy shares the stored object, so its time must not depend on the size.
        List<Double> copies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            t0 = System.nanoTime();
            JsonNode copy = call("file/copy", token, accountId, Map.of("file_id", fileId, "copy_to_folder_id", "null"));
            copies.add(seconds(t0) * 1000);
            if (!copy.has("new_file")) {
                throw new IllegalStateException("copy failed: " + copy);
            }
        }
        Collections.sort(copies);

        double mib = size / 1048576.0;
        say("");
        say("P1 upload   direct S3 PUT %7.1f MiB/s | through gateway %7.1f MiB/s | ratio %.2f (goal >= 0.90)",
                mib / directPut, mib / gatewayPut, directPut / gatewayPut);
        say("P2 download direct S3 GET %7.1f MiB/s | download URL    %7.1f MiB/s | ratio %.2f (goal >= 0.90)",
                mib / directGet, mib / gatewayGet, directGet / gatewayGet);
        say("   (file-service around the gateway: %.1f MiB/s)", mib / service[0]);
        heap.report(this);
        say("P5 /file/copy of the %d MiB file: median %.1f ms, max %.1f ms (goal <= 50 ms)", size >> 20,
                copies.get(2), copies.get(4));

        s3.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(directKey).build());
    }

    /**
     * P6: a URL import of {@code size} bytes from a loopback HTTP server (127.0.0.1:18090, the port the local worker
     * admits) ÷ a plain streaming fetch + S3 PUT of the same bytes by this process, in the same run; and the queue
     * latency at idle: url_upload_add answered → the job reported {@code downloading}.
     */
    private void urlImport(long size) throws Exception {
        String[] credentials = newAccount();
        String token = credentials[0];
        String accountId = credentials[1];
        com.sun.net.httpserver.HttpServer source = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 18090), 16);
        source.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        source.createContext("/", exchange -> {
            // /{seed}/{name}?size=N[&rate=bytesPerSecond]: a fresh seed per URL, so dedup never shortcuts an import
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String query = exchange.getRequestURI().getQuery();
            long n = Long.parseLong(query.replaceAll(".*size=([0-9]+).*", "$1"));
            long rate = query.contains("rate=") ? Long.parseLong(query.replaceAll(".*rate=([0-9]+).*", "$1")) : 0;
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, n);
            try (exchange; InputStream in = new GeneratedStream(n, Long.parseLong(parts[1]))) {
                byte[] buffer = new byte[256 * 1024];
                long t0 = System.nanoTime();
                long sent = 0;
                for (int k; (k = in.read(buffer)) > 0; ) {
                    exchange.getResponseBody().write(buffer, 0, k);
                    sent += k;
                    if (rate > 0) {
                        long wait = t0 + sent * 1_000_000_000L / rate - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000);
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        });
        source.start();
        try {
            say("P6 import of %d MiB from http://127.0.0.1:18090 (a loopback server of this process)", size >> 20);
            // Baseline: this process fetches the same kind of stream and PUTs it to S3 (unknown length, 16 MiB parts,
            // as the worker does).
            String directKey = "bench/" + UUID.randomUUID();
            long t0 = System.nanoTime();
            HttpResponse<InputStream> fetched = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18090/"
                    + System.nanoTime() + "/direct.bin?size=" + size)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = fetched.body()) {
                s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object(directKey).stream(body, -1, PART_SIZE)
                        .build());
            }
            double direct = seconds(t0);
            s3.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(directKey).build());

            t0 = System.nanoTime();
            String jobId = schedule(token, accountId, "http://127.0.0.1:18090/" + System.nanoTime()
                    + "/import.bin?size=" + size);
            JsonNode done = awaitJob(token, accountId, jobId, 600_000, "complete", "failed");
            double imported = seconds(t0);
            if (!"complete".equals(done.at("/data/status").asText())) {
                throw new IllegalStateException("import did not complete: " + done);
            }

            // Queue latency at idle: small throttled downloads, so "downloading" is observable before "complete".
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                Thread.sleep(500);
                long s0 = System.nanoTime();
                String small = schedule(token, accountId, "http://127.0.0.1:18090/" + System.nanoTime()
                        + "/q.bin?size=262144&rate=131072");
                awaitJob(token, accountId, small, 30_000, "downloading", "complete", "failed");
                latencies.add(seconds(s0) * 1000);
            }
            Collections.sort(latencies);
            double mib = size / 1048576.0;
            say("");
            say("P6 import   fetch+PUT %7.1f MiB/s | url_upload_add→complete %7.1f MiB/s | ratio %.2f (goal >= 0.85)",
                    mib / direct, mib / imported, direct / imported);
            say("   queue latency url_upload_add→downloading at idle: median %.0f ms, min %.0f ms, max %.0f ms "
                    + "(status polled every 20 ms)", latencies.get(3), latencies.get(0), latencies.get(6));
        } finally {
            source.stop(0);
            ((java.util.concurrent.ExecutorService) source.getExecutor()).shutdownNow();
        }
    }

    private String schedule(String token, String accountId, String url) throws Exception {
        JsonNode added = call("file/url_upload_add", token, accountId, Map.of("file_url_base64",
                java.util.Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8))));
        String id = added.at("/data/scheduled_item_id").asText();
        if (id.isEmpty()) {
            throw new IllegalStateException("url_upload_add failed: " + added);
        }
        return id;
    }

    /** Polls /file/url_upload_status every 20 ms (under the per-account rate limit) until one of {@code states}. */
    private JsonNode awaitJob(String token, String accountId, String jobId, long timeoutMillis, String... states)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        JsonNode status = null;
        while (System.currentTimeMillis() < deadline) {
            status = call("file/url_upload_status", token, accountId, Map.of("scheduled_item_id", jobId));
            if (List.of(states).contains(status.at("/data/status").asText())) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("job " + jobId + " not in " + List.of(states) + " in time: " + status);
    }

    /** {seconds} of one GET read to the end, checking the length. */
    private double[] timedGet(String url, Map<String, String> headers, long expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        try (InputStream in = response.body()) {
            bytes = drain(in);
        }
        double took = seconds(t0);
        if (response.statusCode() != 200 || bytes != expected) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + " with " + bytes + " bytes");
        }
        return new double[] {took};
    }

    private JsonNode upload(String token, String accountId, long size, long seed) throws Exception {
        String boundary = "bench" + UUID.randomUUID().toString().replace("-", "");
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n" + token
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n" + accountId
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"bench-"
                + seed + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v2/file/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(
                        List.of(stream(head), new GeneratedStream(size, seed + System.nanoTime()), stream(tail))))))
                .build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode call(String path, String token, String accountId, Map<String, String> params) throws Exception {
        StringBuilder form = new StringBuilder("access_token=").append(token).append("&account_id=").append(accountId);
        params.forEach((k, v) -> form.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v2/" + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** A paid account of the demo tenant (no size or storage limit), authorized through the gateway. */
    private String[] newAccount() throws Exception {
        String adminKey = Files.readString(STATE.resolve("keys/admin-key")).trim();
        HttpRequest create = HttpRequest.newBuilder(URI.create(AUTH_ADMIN + "/admin/accounts"))
                .header("X-Admin-Key", adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"demo\",\"username\":\"bench-"
                        + UUID.randomUUID().toString().substring(0, 8) + "\",\"package\":\"paid\"}")).build();
        JsonNode account = JSON.readTree(http.send(create, HttpResponse.BodyHandlers.ofString()).body());
        HttpRequest authorize = HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key1=" + account.get("key1").asText() + "&key2="
                        + account.get("key2").asText())).build();
        JsonNode token = JSON.readTree(http.send(authorize, HttpResponse.BodyHandlers.ofString()).body());
        return new String[] {token.at("/data/access_token").asText(), token.at("/data/account_id").asText()};
    }

    private static InputStream stream(String s) {
        return new java.io.ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
        }
        return total;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /**
     * Incompressible bytes of a given length, generated on the fly (no fixture, no file on disk): a 1 MiB random block
     * re-keyed for every block, so no two blocks repeat and no two runs produce the same content (no dedup).
     */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private final byte[] block = new byte[1 << 20];
        private final SplittableRandom random;
        private long position;
        private int blockOffset = block.length;

        GeneratedStream(long size, long seed) {
            this.size = size;
            this.random = new SplittableRandom(seed);
            random.nextBytes(block);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            if (blockOffset == block.length) {
                long key = random.nextLong();
                for (int i = 0; i < block.length; i += 8) {
                    block[i] ^= (byte) key;
                    block[i + 3] ^= (byte) (key >>> 24);
                }
                blockOffset = 0;
            }
            int n = (int) Math.min(Math.min(length, block.length - blockOffset), size - position);
            System.arraycopy(block, blockOffset, target, offset, n);
            blockOffset += n;
            position += n;
            return n;
        }
    }

    /** Samples the services' heap through their Prometheus endpoints while the transfers run. */
    final class HeapSampler {
        private final Map<String, long[]> figures = new ConcurrentHashMap<>(); // baseline used, max used, max live
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        void start() throws Exception {
            for (var service : METRICS.entrySet()) {
                long[] sample = sample(service.getValue());
                figures.put(service.getKey(), new long[] {sample[0], sample[0], sample[1], sample[1]});
            }
            thread = new Thread(() -> {
                while (running.get()) {
                    for (var service : METRICS.entrySet()) {
                        try {
                            long[] sample = sample(service.getValue());
                            long[] f = figures.get(service.getKey());
                            f[1] = Math.max(f[1], sample[0]);
                            f[3] = Math.max(f[3], sample[1]);
                        } catch (Exception ignored) {
                            // a missed sample only lowers the resolution
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true); // a failed run must still end the JVM
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        void report(Bench bench) {
            figures.forEach((service, f) -> bench.say(
                    "P3 heap %-12s used: baseline %5.1f MiB, max %5.1f MiB (+%5.1f) | live after GC: %5.1f -> max %5.1f MiB (+%5.1f; goal <= 64)",
                    service, f[0] / 1048576.0, f[1] / 1048576.0, (f[1] - f[0]) / 1048576.0,
                    f[2] / 1048576.0, f[3] / 1048576.0, (f[3] - f[2]) / 1048576.0));
        }

        /** {heap used, heap live data after the last collection} from Micrometer's JVM metrics. */
        private long[] sample(List<String> urls) throws Exception {
            String text = null;
            Exception failure = null;
            for (String url : urls) {
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200 && answer.body().contains("jvm_memory_used_bytes")) {
                        text = answer.body();
                        break;
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (text == null) {
                throw new IOException("no metrics at " + urls, failure);
            }
            double used = 0;
            double live = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new long[] {(long) used, (long) live};
        }
    }
}
