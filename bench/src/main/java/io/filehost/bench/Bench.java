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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The file path's figures against the direct baselines measured in the same run on the same machine: per transfer
 * (upload with the credentials first, upload with the file first, whole download, 1 MiB Range reads) wall MiB/s and
 * CPU seconds per GiB of every process on the path, P1/P2 as ratios to a direct S3 PUT/GET, PostgreSQL transactions
 * per GiB uploaded, P3 heap and RSS of gateway and file-service, P5 /file/copy latency.
 * Usage (through ./dev bench): Bench [sizeMiB] [--runs N] [--warmup N]. Talks to 127.0.0.1 only.
 *
 * <p>Why one long file: it is a script, not a service — one run reads top to bottom (set-up, the transfers in the
 * order they are printed, the per-process CPU table), and every figure's definition sits next to the code that
 * measures it. Nothing else depends on it and it is not part of the tests.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GATEWAY = System.getProperty("fh.gateway.url", "http://127.0.0.1:8080");
    private static final String AUTH_ADMIN = System.getProperty("fh.auth.url", "http://127.0.0.1:8081");
    private static final Path STATE = Path.of(System.getProperty("fh.state", ".local"));
    private static final String BUCKET = System.getProperty("fh.bucket", "filehost");
    private static final long PART_SIZE = 16L * 1024 * 1024;
    /** 1 MiB Range reads per measured Range transfer: enough bytes for the CPU clock's 10 ms ticks to resolve. */
    private static final int RANGE_READS = Integer.getInteger("fh.range-reads", 32);
    /** The gateway's filehost.gateway.spool-max-bytes (its default). */
    private static final long SPOOL_MAX = Long.getLong("fh.spool-max", 1L << 30);
    /** Warm-up ends when the JIT compilers took less than this share of gateway + file-service CPU in a round. */
    private static final double JIT_SETTLED = 0.05;
    private static final int MAX_WARMUP = Integer.getInteger("fh.max-warmup", 8);
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
        long size = 1024L << 20;
        int runs = 3;
        int warmup = -1; // until the JIT has settled (see run)
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Math.max(0, Integer.parseInt(args[++i]));
                default -> size = Long.parseLong(args[i]) << 20;
            }
        }
        new Bench().run(size, Math.max(1, runs), warmup);
        // OkHttp's dispatcher (the MinIO client's) is a non-daemon thread that idles 60 s before it ends.
        System.exit(0);
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

    /**
     * The byte path's figures: each transfer as wall MiB/s and as CPU seconds per GiB of payload of every process on
     * the path (gateway, file-service, the S3 store, this client), beside a direct S3 PUT/GET of the same kind of
     * bytes by this process. CPU time is utime + stime of /proc/&lt;pid&gt;/stat before and after each transfer (all
     * threads, no sampling); uploads are also counted as PostgreSQL transactions of the {@code files} database per GiB.
     * {@code warmup} unmeasured rounds first (JIT, connection pools), then {@code runs} measured rounds; the table shows
     * each figure's median over the rounds, and P1/P2 as the median of the per-round ratios to the direct baseline.
     */
    private void run(long size, int runs, int warmup) throws Exception {
        String[] credentials = newAccount();
        String token = credentials[0];
        String accountId = credentials[1];
        Processes processes = Processes.load(STATE);
        TransactionCounter pg = TransactionCounter.connect();
        say("size %d MiB, %s warm-up + %d measured rounds (median), part size %d MiB, gateway %s", size >> 20,
                warmup < 0 ? "settling (JIT < " + Math.round(100 * JIT_SETTLED) + " %, at most " + MAX_WARMUP + ")"
                        : String.valueOf(warmup), runs, PART_SIZE >> 20, GATEWAY);
        say("processes: %s", processes.describe());

        Map<String, List<Sample>> rows = new LinkedHashMap<>();
        // P3 heap from the services' Prometheus endpoints during the warm-up rounds only: a scrape every 200 ms costs
        // the gateway and file-service CPU that would be counted against the measured transfers. RSS (/proc, free for
        // them) is sampled during the measured rounds.
        HeapSampler heap = new HeapSampler(processes);
        heap.start();
        // Warm-up: a fixed number of rounds when asked, else rounds until the JIT has settled. Measured on this
        // machine: after one warm-up round of 256 MiB the compiler threads still spent 1.2 (gateway) and 2.0
        // (file-service) CPU s per GiB uploaded, a third of file-service's figure; after 2.5 GiB, 0.2. A figure with
        // the compiler in it is the cost of starting, not of moving bytes.
        int warmed = 0;
        while (warmup < 0 ? warmed < MAX_WARMUP && (warmed == 0 || !jitSettled(rows)) : warmed < warmup) {
            Map<String, List<Sample>> warming = new LinkedHashMap<>();
            round(size, token, accountId, processes, null, warming);
            rows.putAll(warming);
            warmed++;
            heap.warmupRoundDone(warmed);
            say("warm-up round %d done: the JIT compilers took %.0f %% of gateway + file-service CPU", warmed,
                    100 * jitShare(warming));
        }
        rows.clear();
        if (warmed > 0) {
            heap.measuredRounds();
        }
        if (pg != null) {
            pg.measureBackground();
        }
        for (int round = 0; round < runs; round++) {
            round(size, token, accountId, processes, pg, rows);
            say("measured round %d done", round + 1);
        }
        heap.stop();

        // P5: copy shares the stored object, so its time must not depend on the size.
        String fileId = uploadedFileId(upload(token, accountId, 1 << 20, 7, false));
        List<Double> copies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            JsonNode copy = call("file/copy", token, accountId, Map.of("file_id", fileId, "copy_to_folder_id", "null"));
            copies.add(seconds(t0) * 1000);
            if (!copy.has("new_file")) {
                throw new IllegalStateException("copy failed: " + copy);
            }
        }
        Collections.sort(copies);

        say("");
        say("%-36s %7s %6s | %-39s | %6s | %s", "transfer (" + (size >> 20) + " MiB; Range: " + RANGE_READS + " x 1 MiB)",
                "MiB/s", "ratio", "CPU s/GiB:  gateway  file-svc  S3 store  client", "gw+fs", "PG xact/GiB");
        for (var row : rows.entrySet()) {
            List<Sample> samples = row.getValue();
            double gateway = median(samples, s -> s.cpuPerGiB(0));
            double fileService = median(samples, s -> s.cpuPerGiB(1));
            double ratio = median(samples, Sample::ratio);
            double xacts = median(samples, Sample::xactsPerGiB);
            say("%-36s %7.1f %6s | %19.2f %9.2f %9.2f %7.2f | %6.2f | %s", row.getKey(),
                    median(samples, Sample::mibPerSecond), Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio),
                    gateway, fileService, median(samples, s -> s.cpuPerGiB(2)), median(samples, s -> s.cpuPerGiB(3)),
                    gateway + fileService, Double.isNaN(xacts) ? "" : String.format(Locale.ROOT, "%.0f", xacts));
        }
        say("");
        say("%-36s | %-41s | %-41s", "where the CPU goes (s/GiB)", "gateway: work user  kernel   JIT  GC+VM",
                "file-service: work user  kernel   JIT  GC+VM");
        for (var row : rows.entrySet()) {
            List<Sample> samples = row.getValue();
            if (median(samples, s -> s.cpuPerGiB(0) + s.cpuPerGiB(1)) < 0.05) {
                continue; // direct S3 rows: nothing on our side
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-36s", row.getKey()));
            for (int process = 0; process < 2; process++) {
                int p = process;
                line.append(String.format(Locale.ROOT, " | %17.2f %7.2f %5.2f %6.2f",
                        median(samples, s -> s.partPerGiB(p, Part.USER)), median(samples, s -> s.partPerGiB(p, Part.KERNEL)),
                        median(samples, s -> s.partPerGiB(p, Part.JIT)), median(samples, s -> s.partPerGiB(p, Part.GC))));
            }
            say("%s", line);
        }
        say("work = every thread but the JIT compilers and the GC/VM threads (/proc/<pid>/task/*/stat by thread name); "
                + "kernel = its system time: the socket reads and writes themselves.");
        relayFloor(size);
        say("ratio: MiB/s through the platform ÷ the direct S3 transfer of the same round (P1 upload, goal >= 0.7; "
                + "P2 download, goal >= 0.95).");
        say("direct PUT: this client's MinIO client signs each part's SHA-256 (+ MD5) and the store checks it; "
                + "file-service sends UNSIGNED-PAYLOAD parts.");
        if (pg != null) {
            say("PG xact/GiB: commits + rollbacks of database 'files' (pg_stat_database, read %d ms after the transfer "
                    + "so the backends have reported), minus the idle rate %.2f/s measured before", pg.settleMillis,
                    pg.backgroundPerSecond);
        }
        double[] completion = tusCompletion();
        say("P9 tus completion after the last byte (mean over this run's tus uploads of %d MiB): the store's "
                + "CompleteMultipartUpload %.0f ms, ours %.1f ms (goal <= 50 ms for 1 GiB); resume (HEAD + 1-byte PATCH) "
                + "median %.1f ms", size >> 20, completion[0] * 1000, completion[1] * 1000,
                tusResumeMillis(token, accountId, 7));
        heap.report(this);
        say("P5 /file/copy of a 1 MiB file: median %.1f ms, max %.1f ms (goal <= 50 ms)", copies.get(2), copies.get(4));
        if (pg != null) {
            pg.close();
        }
    }

    /** One round: every transfer once, in the same order, each measured alone on an otherwise idle platform. */
    private void round(long size, String token, String accountId, Processes processes, TransactionCounter pg,
                       Map<String, List<Sample>> rows) throws Exception {
        // Baseline: the same kind of generated stream straight into S3 with the same client-side part size.
        String directKey = "bench/" + UUID.randomUUID();
        Sample directPut = processes.measure(size, null, () -> s3.putObject(PutObjectArgs.builder().bucket(BUCKET)
                .object(directKey).stream(new GeneratedStream(size, System.nanoTime()), -1, PART_SIZE).build()));
        add(rows, "S3 PUT direct", directPut, directPut);

        JsonNode[] answer = new JsonNode[1];
        Sample upload = processes.measure(size, pg, () -> answer[0] = upload(token, accountId, size, 2, false));
        String fileId = uploadedFileId(answer[0]);
        add(rows, "upload, credentials first (P1)", upload, directPut);
        // The gateway holds at most SPOOL_MAX bytes before the credentials (a bigger body is refused, 413), and a
        // multipart body is a little larger than its file: from 1 GiB on, this row spools a MiB less.
        long spooledSize = Math.min(size, SPOOL_MAX - (1L << 20));
        Sample spooled = processes.measure(spooledSize, pg,
                () -> answer[0] = upload(token, accountId, spooledSize, 3, true));
        String spooledId = uploadedFileId(answer[0]);
        add(rows, spooledSize == size ? "upload, file first (gateway spools)"
                : "upload, file first (spools " + (spooledSize >> 20) + " MiB)", spooled, directPut);
        // P9: the same bytes as a resumable upload (tus), ratio against /file/upload of this round.
        String[] tusIds = new String[2];
        Sample tusOne = processes.measure(size, pg, () -> tusIds[0] = tusUpload(token, accountId, size, 4, size));
        add(rows, "tus, one PATCH (P9)", tusOne, upload);
        Sample tusChunked = processes.measure(size, pg,
                () -> tusIds[1] = tusUpload(token, accountId, size, 5, 16L << 20));
        add(rows, "tus, 16 MiB PATCHes (P9)", tusChunked, upload);

        // Downloads: the same HTTP client reads the object straight from S3 (a presigned GET) and through the
        // download URL, so only the path differs.
        String presigned = s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
                .bucket(BUCKET).object(directKey).expiry(600).build());
        String downloadUrl = call("file/download", token, accountId, Map.of("file_id", fileId))
                .at("/data/download_url").asText();
        Sample directGet = processes.measure(size, null, () -> timedGet(presigned, Map.of(), size));
        add(rows, "S3 GET direct", directGet, directGet);
        add(rows, "download URL, whole file (P2)",
                processes.measure(size, null, () -> timedGet(downloadUrl, Map.of(), size)), directGet);
        long ranges = RANGE_READS * (1L << 20);
        Sample directRange = processes.measure(ranges, null, () -> rangeReads(presigned, size));
        add(rows, "S3 GET direct, 1 MiB Range", directRange, directRange);
        add(rows, "download URL, 1 MiB Range",
                processes.measure(ranges, null, () -> rangeReads(downloadUrl, size)), directRange);

        s3.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(directKey).build());
        for (String id : List.of(fileId, spooledId, tusIds[0], tusIds[1])) {
            call("file/delete", token, accountId, Map.of("file_id", id));
        }
    }

    /**
     * What moving the bytes through a process costs at least: bench/relay.py relays a direct S3 PUT of the same size,
     * once copying through user space (what any proxy that reads the body does, minus all parsing) and once with
     * splice(2) (zero-copy, which no HTTP stack on the JVM offers for a body it frames); its CPU per GiB, and the
     * kernel's share of it, from /proc like the services'. The gateway's figure is compared with these.
     */
    private void relayFloor(long size) throws Exception {
        Path script = Path.of(System.getProperty("fh.repo", ".")).resolve("bench/relay.py");
        if (!Files.exists(script)) {
            say("relay floor: %s not found, skipped", script);
            return;
        }
        StringBuilder line = new StringBuilder("relay floor (a process that only moves the bytes, S3 PUT of "
                + (size >> 20) + " MiB through it):");
        int port = 9190;
        for (String mode : List.of("copy", "splice")) {
            Process relay = new ProcessBuilder("python3", script.toString(), String.valueOf(++port), "9000", mode)
                    .redirectErrorStream(true).start();
            try {
                new java.io.BufferedReader(new java.io.InputStreamReader(relay.getInputStream())).readLine(); // ready
                MinioClient through = MinioClient.builder().endpoint("127.0.0.1", port, false)
                        .credentials(System.getProperty("fh.s3.access", "filehost"),
                                System.getProperty("fh.s3.secret", "filehost-secret")).build();
                Path stat = Path.of("/proc/" + relay.pid() + "/stat");
                long[] before = ticks(stat);
                String key = "bench/" + UUID.randomUUID();
                through.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key)
                        .stream(new GeneratedStream(size, System.nanoTime()), -1, PART_SIZE).build());
                long[] after = ticks(stat);
                s3.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(key).build());
                double gib = size / 1073741824.0;
                double hz = 100.0;
                line.append(String.format(Locale.ROOT, " %s %.2f CPU s/GiB (kernel %.2f);", mode,
                        (after[0] + after[1] - before[0] - before[1]) / hz / gib, (after[1] - before[1]) / hz / gib));
            } finally {
                relay.destroy();
                relay.waitFor();
            }
        }
        say("%s", line);
    }

    /** {utime, stime} in clock ticks (USER_HZ, 100 on Linux) from a /proc stat file. */
    private static long[] ticks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    /** The JIT compilers' share of gateway + file-service CPU over one round's transfers. */
    private static double jitShare(Map<String, List<Sample>> round) {
        double jit = 0;
        double all = 0;
        for (List<Sample> samples : round.values()) {
            for (Sample s : samples) {
                jit += s.parts()[0][Part.JIT.ordinal()] + s.parts()[1][Part.JIT.ordinal()];
                all += s.cpuSeconds()[0] + s.cpuSeconds()[1];
            }
        }
        return all == 0 ? 0 : jit / all;
    }

    private static boolean jitSettled(Map<String, List<Sample>> rows) {
        // rows holds the last warm-up round (put over the earlier ones); one sample per transfer
        return jitShare(rows) < JIT_SETTLED;
    }

    private static void add(Map<String, List<Sample>> rows, String name, Sample sample, Sample baseline) {
        rows.computeIfAbsent(name, k -> new ArrayList<>())
                .add(sample == baseline ? sample : sample.against(baseline));
    }

    private static String uploadedFileId(JsonNode uploaded) {
        String fileId = uploaded.at("/data/0/file_id").asText();
        if (fileId.isEmpty()) {
            throw new IllegalStateException("upload through the gateway failed: " + uploaded);
        }
        return fileId;
    }

    /** {@link #RANGE_READS} GETs of 1 MiB each, at offsets spread over the object, checking each answer. */
    private void rangeReads(String url, long size) throws Exception {
        long mib = 1L << 20;
        long stride = Math.max(mib, (size - mib) / Math.max(1, RANGE_READS - 1) / 4096 * 4096);
        for (int i = 0; i < RANGE_READS; i++) {
            long from = Math.min(i * stride, size - mib);
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Range", "bytes=" + from + "-" + (from + mib - 1)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long bytes;
            try (InputStream in = response.body()) {
                bytes = drain(in);
            }
            if (response.statusCode() != 206 || bytes != mib) {
                throw new IllegalStateException(url + " Range answered " + response.statusCode() + " with " + bytes
                        + " bytes");
            }
        }
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> figure) {
        double[] values = samples.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    interface Transfer {
        void run() throws Exception;
    }

    /**
     * One transfer's figures. {@code cpuSeconds}: gateway, file-service, S3 store, client; {@code xacts}: PostgreSQL
     * transactions of the files database (NaN when not counted); {@code ratio}: MiB/s ÷ the baseline's (NaN for one).
     */
    /** The parts of a JVM's CPU time the breakdown table shows. */
    enum Part { USER, KERNEL, JIT, GC }

    /** {@code parts[process][Part]}: CPU seconds of gateway (0) and file-service (1) by {@link Part}. */
    record Sample(long bytes, double seconds, double[] cpuSeconds, double[][] parts, double xacts, double ratio) {
        double partPerGiB(int process, Part part) {
            return parts[process][part.ordinal()] / (bytes / 1073741824.0);
        }

        double mibPerSecond() {
            return bytes / 1048576.0 / seconds;
        }

        double cpuPerGiB(int process) {
            return cpuSeconds[process] / (bytes / 1073741824.0);
        }

        double xactsPerGiB() {
            return xacts / (bytes / 1073741824.0);
        }

        Sample against(Sample baseline) {
            return new Sample(bytes, seconds, cpuSeconds, parts, xacts, mibPerSecond() / baseline.mibPerSecond());
        }
    }

    /**
     * The processes on the byte path, by the pids ./dev and infra.sh keep in the state folder's run/ directory, and
     * this client. CPU time from /proc/&lt;pid&gt;/stat (utime + stime, fields 14 and 15, in clock ticks).
     */
    static final class Processes {
        static final String[] NAMES = {"gateway", "file-service", "s3proxy", "client"};
        private final long[] pids;
        private final double ticksPerSecond;

        private Processes(long[] pids, double ticksPerSecond) {
            this.pids = pids;
            this.ticksPerSecond = ticksPerSecond;
        }

        static Processes load(Path state) throws Exception {
            long[] pids = new long[NAMES.length];
            for (int i = 0; i < NAMES.length - 1; i++) {
                Path file = state.resolve("run/" + NAMES[i] + ".pid");
                pids[i] = Long.parseLong(Files.readString(file).trim());
                if (!Files.exists(Path.of("/proc/" + pids[i]))) {
                    throw new IllegalStateException(NAMES[i] + " (pid " + pids[i] + " from " + file + ") is not running");
                }
            }
            pids[NAMES.length - 1] = ProcessHandle.current().pid();
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            double ticks = Double.parseDouble(new String(getconf.getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).trim());
            getconf.waitFor();
            return new Processes(pids, ticks);
        }

        long pid(String name) {
            return pids[List.of(NAMES).indexOf(name)];
        }

        /** Each process' pid and how its JVM runs with respect to the JDK AOT cache (./dev starts them). */
        String describe() throws IOException {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < NAMES.length; i++) {
                String cmdline = Files.readString(Path.of("/proc/" + pids[i] + "/cmdline")).replace('\0', ' ');
                String aot = cmdline.contains("-XX:AOTCacheOutput=") ? "AOT training run"
                        : cmdline.contains("-XX:AOTCache=") ? "from AOT cache" : "no AOT cache";
                out.append(i == 0 ? "" : ", ").append(NAMES[i]).append(' ').append(pids[i]).append(" (").append(aot)
                        .append(')');
            }
            return out.toString();
        }

        double[] cpuSeconds() throws IOException {
            double[] seconds = new double[pids.length];
            for (int i = 0; i < pids.length; i++) {
                String stat = Files.readString(Path.of("/proc/" + pids[i] + "/stat"));
                // after "pid (comm) ": field 3 (state) is index 0, utime (14) index 11, stime (15) index 12
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                seconds[i] = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ticksPerSecond;
            }
            return seconds;
        }

        /**
         * A JVM's CPU seconds by {@link Part}: the JIT compiler threads ("C1/C2 CompilerThread"), the GC and VM threads,
         * and the rest (the work) as user and kernel time. The work is the process' total (/proc/&lt;pid&gt;/stat,
         * which keeps the time of threads that have ended) minus the JIT and GC threads (long-lived, read per thread).
         */
        double[] parts(long pid) throws IOException {
            double[] total = stat(Path.of("/proc/" + pid + "/stat"));
            double jit = 0;
            double gc = 0;
            double jitGcKernel = 0;
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    String name;
                    double[] t;
                    try {
                        name = Files.readString(task.resolve("comm")).trim();
                        t = stat(task.resolve("stat"));
                    } catch (IOException ended) {
                        continue; // the thread ended meanwhile; its time is in the process' total
                    }
                    if (name.contains("CompilerThre")) {
                        jit += t[0] + t[1];
                        jitGcKernel += t[1];
                    } else if (name.startsWith("GC ") || name.startsWith("G1 ") || name.equals("VM Thread")
                            || name.startsWith("VM Periodic")) {
                        gc += t[0] + t[1];
                        jitGcKernel += t[1];
                    }
                }
            }
            double kernel = total[1] - jitGcKernel;
            return new double[]{total[0] + total[1] - jit - gc - kernel, kernel, jit, gc};
        }

        /** {utime, stime} in seconds from a /proc stat file. */
        private double[] stat(Path file) throws IOException {
            String stat = Files.readString(file);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[]{Long.parseLong(fields[11]) / ticksPerSecond, Long.parseLong(fields[12]) / ticksPerSecond};
        }

        /** Resident set size in bytes (VmRSS of /proc/&lt;pid&gt;/status). */
        long rss(String name) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid(name) + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        }

        /** One transfer, with the CPU time each process spent meanwhile and, with {@code pg}, the transactions. */
        Sample measure(long bytes, TransactionCounter pg, Transfer transfer) throws Exception {
            double xacts0 = pg == null ? 0 : pg.settledCount();
            long x0 = System.nanoTime();
            double[] before = cpuSeconds();
            double[][] partsBefore = {parts(pids[0]), parts(pids[1])};
            long t0 = System.nanoTime();
            transfer.run();
            double seconds = seconds(t0);
            double[] after = cpuSeconds();
            double[][] parts = {parts(pids[0]), parts(pids[1])};
            for (int i = 0; i < after.length; i++) {
                after[i] -= before[i];
            }
            for (int p = 0; p < 2; p++) {
                for (int k = 0; k < parts[p].length; k++) {
                    parts[p][k] -= partsBefore[p][k];
                }
            }
            double xacts = Double.NaN;
            if (pg != null) {
                double count = pg.settledCount();
                xacts = count - xacts0 - pg.backgroundPerSecond * seconds(x0);
            }
            return new Sample(bytes, seconds, after, parts, xacts, Double.NaN);
        }
    }

    /**
     * Transactions of the {@code files} database from pg_stat_database (commits + rollbacks), read through a
     * connection to the {@code postgres} database so that the reading itself is not counted. A backend reports its
     * counts when it goes idle, at most once a second and otherwise up to 10 s later (PGSTAT_IDLE_INTERVAL), so every
     * reading waits {@code settleMillis} after the activity it should include; the idle rate (schedulers) is
     * measured once and subtracted.
     */
    static final class TransactionCounter implements AutoCloseable {
        private final java.sql.Connection connection;
        final long settleMillis = Long.getLong("fh.pg.settle-ms", 11_000);
        double backgroundPerSecond;

        private TransactionCounter(java.sql.Connection connection) {
            this.connection = connection;
        }

        /** Null (no PG column) when switched off or PostgreSQL cannot be reached with the local credentials. */
        static TransactionCounter connect() {
            if (!Boolean.parseBoolean(System.getProperty("fh.pg", "true"))) {
                return null; // -Dfh.pg=false: no settling pauses, e.g. when only CPU and memory are compared
            }
            try {
                return new TransactionCounter(java.sql.DriverManager.getConnection(
                        System.getProperty("fh.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                        System.getProperty("fh.pg.user", "filehost"), System.getProperty("fh.pg.password", "filehost")));
            } catch (java.sql.SQLException e) {
                System.out.println("PostgreSQL not reachable, transactions not counted: " + e.getMessage());
                return null;
            }
        }

        double count() throws java.sql.SQLException {
            try (var statement = connection.createStatement();
                 var result = statement.executeQuery("select xact_commit + xact_rollback from pg_stat_database "
                         + "where datname = 'files'")) {
                return result.next() ? result.getLong(1) : Double.NaN;
            }
        }

        double settledCount() throws Exception {
            Thread.sleep(settleMillis);
            return count();
        }

        void measureBackground() throws Exception {
            double x0 = settledCount();
            long t0 = System.nanoTime();
            double x1 = settledCount();
            backgroundPerSecond = Math.max(0, (x1 - x0) / seconds(t0));
        }

        @Override
        public void close() throws java.sql.SQLException {
            connection.close();
        }
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

    /**
     * A tus upload (docs/tus.md) of {@code size} generated bytes in PATCHes of {@code chunk} bytes, each with its
     * Content-Length; returns the file id the last PATCH names.
     */
    private String tusUpload(String token, String accountId, long size, long seed, long chunk) throws Exception {
        String location = tusCreate(token, accountId, size);
        GeneratedStream content = new GeneratedStream(size, seed); // the same bytes every round: see upload()
        String fileId = null;
        for (long offset = 0; offset < size; offset += chunk) {
            long length = Math.min(chunk, size - offset);
            HttpResponse<String> response = tusPatch(location, token, accountId, offset,
                    new java.io.FilterInputStream(content) {
                        long left = length;

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (left == 0) {
                                return -1;
                            }
                            int n = super.read(b, off, (int) Math.min(len, left));
                            left -= Math.max(n, 0);
                            return n;
                        }

                        @Override
                        public void close() {
                        }
                    }, length);
            if (response.statusCode() != 204) {
                throw new IllegalStateException("tus PATCH answered " + response.statusCode() + ": " + response.body());
            }
            fileId = response.headers().firstValue("Filehost-File-Id").orElse(null);
        }
        if (fileId == null) {
            throw new IllegalStateException("the last tus PATCH named no file");
        }
        return fileId;
    }

    private String tusCreate(String token, String accountId, long size) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v2/file/tus"))
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("X-Account-Id", accountId).header("Upload-Length", Long.toString(size))
                .header("Upload-Metadata", "filename " + java.util.Base64.getEncoder()
                        .encodeToString("bench-tus.bin".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("tus creation answered " + created.statusCode() + ": " + created.body());
        }
        return GATEWAY + URI.create(created.headers().firstValue("Location").orElseThrow()).getRawPath();
    }

    private HttpResponse<String> tusPatch(String location, String token, String accountId, long offset,
                                          InputStream body, long length) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("X-Account-Id", accountId)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body), length))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Resume latency: what a client that lost its connection pays before its bytes flow again — HEAD for the offset,
     * then a PATCH (here of one byte: the server reads the stored tail back, appends, stores the new tail). Median of
     * {@code n}, in milliseconds.
     */
    private double tusResumeMillis(String token, String accountId, int n) throws Exception {
        String location = tusCreate(token, accountId, 64L << 20);
        tusPatch(location, token, accountId, 0, new GeneratedStream(1 << 20, 9), 1 << 20);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(location))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                    .header("Authorization", "Bearer " + token).header("X-Account-Id", accountId).build(),
                    HttpResponse.BodyHandlers.discarding());
            long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
            HttpResponse<String> patched = tusPatch(location, token, accountId, offset,
                    new java.io.ByteArrayInputStream(new byte[] {42}), 1);
            times.add(seconds(t0) * 1000);
            if (patched.statusCode() != 204) {
                throw new IllegalStateException("resume PATCH answered " + patched.statusCode());
            }
        }
        http.send(HttpRequest.newBuilder(URI.create(location)).DELETE().header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("X-Account-Id", accountId).build(),
                HttpResponse.BodyHandlers.discarding());
        Collections.sort(times);
        return times.get(n / 2);
    }

    /** The completion timers file-service keeps (TusUploads): mean seconds per completion of the store and ours. */
    private double[] tusCompletion() throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8082/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] mean = new double[2];
        String[] parts = {"store", "ours"};
        for (int i = 0; i < 2; i++) {
            double sum = metric(text, "filehost_tus_completion_seconds_sum", parts[i]);
            double count = metric(text, "filehost_tus_completion_seconds_count", parts[i]);
            mean[i] = count == 0 ? Double.NaN : sum / count;
        }
        return mean;
    }

    private static double metric(String text, String name, String part) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("part=\"" + part + "\"")) {
                // "name{labels} value", possibly followed by an exemplar ("# {span_id=…} 1.0 timestamp")
                return Double.parseDouble(line.substring(line.indexOf("} ") + 2).split(" ")[0]);
            }
        }
        return 0;
    }

    /**
     * /file/upload of {@code size} generated bytes; {@code fileFirst}: the file part before the credentials, so the
     * gateway must spool the file before it knows whom it is for.
     * <p>
     * Each row sends the same bytes (its seed) in every round and run. Every byte still takes the whole path — the
     * sha256 that finds the duplicate is known only at the end, after the object is in S3 — and the new object is then
     * removed and the file shares the first one. With fresh bytes per round every run left its files' objects in the
     * trash (30 days): ~15 GB per `./dev bench 1024`, which filled this machine's disk twice.
     */
    private JsonNode upload(String token, String accountId, long size, long seed, boolean fileFirst) throws Exception {
        String boundary = "bench" + UUID.randomUUID().toString().replace("-", "");
        String credentials = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n"
                + token + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n"
                + accountId + "\r\n";
        String filePart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"bench-"
                + seed + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String head = fileFirst ? filePart : credentials + filePart;
        String tail = "\r\n" + (fileFirst ? credentials : "") + "--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v2/file/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                // With its length, as curl, browsers and tus clients send a file: an unknown length would go out
                // chunked in the JDK client's 16 KiB buffers, a framing no real client uses for a file upload, and
                // every hop would pay per chunk (measured: file-service 7.5 CPU s/GiB here vs 4.6 with curl).
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new SequenceInputStream(Collections.enumeration(List.of(stream(head),
                                new GeneratedStream(size, seed), stream(tail))))),
                        head.getBytes(StandardCharsets.UTF_8).length + size + tail.getBytes(StandardCharsets.UTF_8).length))
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
        private final AtomicBoolean scrapeHeap = new AtomicBoolean(true);
        private volatile String heapPhase = "the measured rounds (their CPU figures include the scrapes)";
        private final Processes processes;
        private final long[] maxRss = new long[2]; // gateway, file-service
        private Thread thread;

        HeapSampler(Processes processes) {
            this.processes = processes;
        }

        /**
         * Per service: heap used and pooled part buffers right after a full collection — before the first round, after
         * the first warm-up round, after the last one: {heap0, pool0, heap1, pool1, heapN, poolN, rounds after the first}.
         */
        private final Map<String, long[]> retained = new ConcurrentHashMap<>();

        void start() throws Exception {
            for (var service : METRICS.entrySet()) {
                long[] sample = sample(service.getValue());
                figures.put(service.getKey(), new long[] {sample[0], sample[0], sample[1], sample[1]});
                long[] after = retained(service.getKey());
                retained.put(service.getKey(), new long[] {after[0], after[1], -1, -1, -1, -1, 0});
            }
            thread = new Thread(() -> {
                while (running.get()) {
                    for (var service : scrapeHeap.get() ? METRICS.entrySet() : Map.<String, List<String>>of().entrySet()) {
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
                        maxRss[0] = Math.max(maxRss[0], processes.rss("gateway"));
                        maxRss[1] = Math.max(maxRss[1], processes.rss("file-service"));
                    } catch (IOException ignored) {
                        // as above
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

        /** From now on RSS only, from its lowest: the heap figures stay those of the warm-up rounds. */
        /** After each warm-up round: a full collection, and what is left (see {@link #retained}). */
        void warmupRoundDone(int round) throws Exception {
            for (String service : METRICS.keySet()) {
                long[] after = retained(service);
                long[] r = retained.get(service);
                int at = round == 1 ? 2 : 4;
                r[at] = after[0];
                r[at + 1] = after[1];
                r[6] = round - 1;
            }
        }

        void measuredRounds() {
            scrapeHeap.set(false);
            heapPhase = "the warm-up rounds";
            maxRss[0] = 0;
            maxRss[1] = 0;
        }

        void stop() throws Exception {
            running.set(false);
            thread.join();
        }

        /**
         * What the service's heap still holds: a full collection first ({@code jcmd <pid> GC.run}; the services run
         * the Serial collector, whose "live data after GC" metric otherwise includes whatever a young collection
         * promoted and no full one has looked at yet — dead part buffers among it), then heap used and the part
         * buffers the service keeps for the next upload (file-service's {@code filehost.storage.part.buffers.pooled}).
         */
        private long[] retained(String service) throws Exception {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(processes.pid(service)), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (jcmd.waitFor() != 0) {
                throw new IOException("jcmd GC.run failed for " + service);
            }
            long[] sample = sample(METRICS.get(service));
            return new long[] {sample[0], sample[2]};
        }

        void report(Bench bench) {
            bench.say("P3 heap sampled every 200 ms during %s:", heapPhase);
            figures.forEach((service, f) -> bench.say(
                    "P3 heap %-12s used: baseline %5.1f MiB, max %5.1f MiB (+%5.1f) | live after GC: %5.1f -> max %5.1f MiB (+%5.1f; goal <= 64)",
                    service, f[0] / 1048576.0, f[1] / 1048576.0, (f[1] - f[0]) / 1048576.0,
                    f[2] / 1048576.0, f[3] / 1048576.0, (f[3] - f[2]) / 1048576.0));
            retained.forEach((service, r) -> {
                if (r[2] < 0) {
                    return; // no warm-up rounds
                }
                bench.say("P3 retained heap %-12s (heap used right after a full GC, jcmd GC.run): %5.1f MiB before, "
                                + "%5.1f after the first warm-up round (%+5.1f; goal <= 32), of which pooled part buffers "
                                + "%4.1f -> %4.1f MiB", service, r[0] / 1048576.0, r[2] / 1048576.0,
                        (r[2] - r[0]) / 1048576.0, r[1] / 1048576.0, r[3] / 1048576.0);
                if (r[4] >= 0) {
                    bench.say("P3 retained heap %-12s after %d more warm-up rounds: %5.1f MiB (%+5.1f; growth with "
                                    + "the bytes moved, not first use), pooled part buffers %4.1f MiB", service, r[6],
                            r[4] / 1048576.0, (r[4] - r[2]) / 1048576.0, r[5] / 1048576.0);
                }
            });
            bench.say("RSS during the measured rounds: gateway max %.0f MiB, file-service max %.0f MiB",
                    maxRss[0] / 1048576.0, maxRss[1] / 1048576.0);
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
            double pooled = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("filehost_storage_part_buffers_pooled_bytes")) {
                    pooled = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new long[] {(long) used, (long) live, (long) pooled};
        }
    }
}
