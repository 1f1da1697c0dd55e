package io.filehost.fileservice.rest;

import io.filehost.common.failure.FailureLog;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.fileservice.service.DownloadService;
import io.filehost.storage.ObjectReadUrls;
import io.filehost.storage.StorageConfig;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Public URLs the gateway routes here ({@code GET|HEAD {base}/{rest}} → {@code /public/{rest}}, same query,
 * {@code X-Tenant-Id}). With a download token: the bytes, streamed from S3 (never held in memory), with Range,
 * If-Range, a strong ETag (the content's SHA-256) and RFC 6266 Content-Disposition.
 */
@Path("/public")
public class PublicResource {
    private static final int BUFFER = 64 * 1024;
    /**
     * Bytes of a download that may wait on the connection before the copy loop blocks (Vert.x' default, 64 KiB, is one
     * write of {@link #BUFFER}: every write would wait for the previous one to drain).
     */
    private static final int WRITE_QUEUE = 512 * 1024;

    @Inject
    DownloadService downloads;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    ObjectReadUrls objectUrls;

    @Inject
    PublicPages pages;

    @Inject
    FailureLog failures;

    @GET
    @Path("{ref}")
    public Response get(@PathParam("ref") String ref, @QueryParam("download_token") String token,
                        @HeaderParam(InternalHeaders.TENANT_ID) String tenant, @HeaderParam("Range") String range,
                        @HeaderParam("If-Range") String ifRange, @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri,
                        @HeaderParam(InternalHeaders.OBJECT_RELAY) String gatewayFetches,
                        @jakarta.ws.rs.core.Context HttpServerResponse connection) throws IOException {
        if (token == null) {
            return pages.page(ref, tenant, uri.getRequestUri().getRawQuery());
        }
        connection.setWriteQueueMaxSize(WRITE_QUEUE);
        return serve(ref, token, tenant, range, ifRange, connection, gatewayFetches != null);
    }

    @jakarta.ws.rs.POST
    @Path("{ref}")
    public Response post(@PathParam("ref") String ref, @HeaderParam(InternalHeaders.TENANT_ID) String tenant,
                         @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
        return pages.post(ref, tenant, uri.getRequestUri().getRawQuery());
    }

    @HEAD
    @Path("{ref}")
    public Response head(@PathParam("ref") String ref, @QueryParam("download_token") String token,
                         @HeaderParam(InternalHeaders.TENANT_ID) String tenant, @HeaderParam("Range") String range,
                         @HeaderParam("If-Range") String ifRange) throws IOException {
        if (token == null) {
            return Response.status(405).build();
        }
        return serve(ref, token, tenant, range, ifRange, null, false);
    }

    static Long tenantOf(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Response text(int status, String message) {
        return Response.status(status).type("text/plain; charset=UTF-8").entity(message + "\n")
                .header("Cache-Control", "no-store").build();
    }

    /**
     * {@code connection} is the client's, for a GET; {@code null} for a HEAD. {@code gatewayFetches}: the gateway
     * GETs the bytes from S3 itself ({@link InternalHeaders#OBJECT_URL}), so this answer carries no body.
     */
    private Response serve(String shortUrl, String token, String tenantHeader, String range, String ifRange,
                           HttpServerResponse connection, boolean gatewayFetches) throws IOException {
        boolean head = connection == null;
        Long tenantId = tenantOf(tenantHeader);
        if (tenantId == null) {
            return text(404, DownloadService.FILE_NOT_FOUND);
        }
        DownloadService.Grant grant;
        try {
            grant = downloads.authorize(tenantId, shortUrl, token);
        } catch (DownloadService.Refused e) {
            return text(e.status(), e.getMessage());
        }
        long size = grant.size();
        String etag = "\"" + grant.sha256() + "\"";
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                grant.lastModified().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
        long start = 0;
        long end = size - 1;
        boolean partial = false;
        if (range != null && rangeApplies(ifRange, etag, lastModified)) {
            long[] parsed = parseRange(range.trim(), size);
            if (parsed == UNSATISFIABLE) {
                return Response.status(416).header("Content-Range", "bytes */" + size)
                        .header("Accept-Ranges", "bytes").header(HttpHeaders.ETAG, etag).build();
            }
            if (parsed != null) {
                start = parsed[0];
                end = parsed[1];
                partial = true;
            }
        }
        long length = size == 0 ? 0 : end - start + 1;
        Response.ResponseBuilder response = Response.status(partial ? 206 : 200)
                .header(HttpHeaders.CONTENT_TYPE, grant.fileType())
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header("Content-Disposition", contentDisposition(grant.filename()))
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.LAST_MODIFIED, lastModified)
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "private, no-transform");
        if (partial) {
            response.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        if (head) {
            return response.build();
        }
        if (gatewayFetches && length > 0) {
            // The metadata read stands in for the first bytes below: S3 must answer before the download is charged.
            String url = objectUrls.readable(grant.objectKey(), size);
            Response refused = charge(grant, length, start);
            if (refused != null) {
                return refused;
            }
            response.header(HttpHeaders.CONTENT_LENGTH, null)
                    .header(InternalHeaders.OBJECT_URL, url)
                    .header(InternalHeaders.OBJECT_LENGTH, length);
            if (partial) {
                response.header(InternalHeaders.OBJECT_RANGE, "bytes=" + start + "-" + end);
            }
            if (grant.limits().downloadSpeed() > 0) {
                response.header(InternalHeaders.DOWNLOAD_RATE, grant.limits().downloadSpeed());
            }
            return response.build();
        }
        int step = grant.limits().downloadSpeed() > 0
                ? (int) Math.min(BUFFER, Math.max(1024, grant.limits().downloadSpeed() / 4)) : BUFFER;
        // The first bytes are read from S3 before the download is counted and charged against the 24-hour limits:
        // a download S3 cannot serve is answered 503 (an outage, ApiExceptionMappers) and costs the owner nothing.
        FirstBytes first = length == 0 ? null : firstBytes(grant.objectKey(), start, length, step);
        Response refused;
        try {
            refused = charge(grant, length, start);
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            throw e;
        }
        if (refused != null) {
            if (first != null) {
                first.close();
            }
            return refused;
        }
        if (first == null) {
            return response.build();
        }
        long speed = grant.limits().downloadSpeed();
        String what = "download of file " + grant.fileId();
        StreamingOutput body = out -> stream(first, step, speed, out, connection, what);
        return response.entity(body).build();
    }

    /** Counts the download against the owner's limits; the refusal to send when a limit is reached, else null. */
    private Response charge(DownloadService.Grant grant, long length, long start) {
        try {
            downloads.record(grant, length, start == 0);
            return null;
        } catch (DownloadService.Refused refused) {
            return text(refused.status(), refused.getMessage());
        }
    }

    /** An open S3 object stream with its first bytes already read (so S3 is known to serve this object). */
    private record FirstBytes(InputStream in, byte[] buffer, int length) {
        void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // The connection to S3 is dropped either way.
            }
        }
    }

    private FirstBytes firstBytes(String key, long offset, long length, int step) throws IOException {
        InputStream in;
        try {
            in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key)
                    .offset(offset).length(length).build());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("opening the object in S3 failed", e);
        }
        byte[] buffer = new byte[BUFFER];
        try {
            int n = in.readNBytes(buffer, 0, step);
            return new FirstBytes(in, buffer, n);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Copies the object to the client, throttled to the package's speed. Once the status line is out, a failure can
     * only end the connection: a client that went away is no error of ours (DEBUG); S3 failing mid-body is an outage,
     * logged as one ({@link FailureLog}), and the connection is reset so the client sees a truncated transfer (the
     * Content-Length was promised) rather than a complete-looking one.
     */
    private void stream(FirstBytes first, int step, long bytesPerSecond, OutputStream out,
                        HttpServerResponse connection, String what) throws IOException {
        try (InputStream in = first.in()) {
            byte[] buffer = first.buffer();
            long sent = 0;
            long began = System.nanoTime();
            int n = first.length();
            // The S3 client's stream returns at most one 8 KiB segment per read: the buffer is filled before each
            // write, so the response is written in pieces of `step` bytes, not in segments.
            while (n > 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException clientGone) {
                    failures.report(clientGone, what + " after " + sent + " bytes");
                    return;
                }
                sent += n;
                if (bytesPerSecond > 0) {
                    long due = began + sent * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("download interrupted");
                        }
                    }
                }
                try {
                    n = in.readNBytes(buffer, 0, step);
                } catch (IOException | RuntimeException s3Failed) {
                    failures.report(s3Failed, what + " after " + sent + " bytes");
                    connection.reset();
                    return;
                }
            }
        }
    }

    /** RFC 7233 If-Range: the range applies only if the validator still matches (strong ETag or exact date). */
    private static boolean rangeApplies(String ifRange, String etag, String lastModified) {
        if (ifRange == null || ifRange.isBlank()) {
            return true;
        }
        String value = ifRange.trim();
        return value.startsWith("\"") ? value.equals(etag) : value.equals(lastModified);
    }

    static final long[] UNSATISFIABLE = new long[0];

    /** One {@code bytes=} range; multiple ranges or syntax we do not support → the whole body (allowed by RFC 7233). */
    static long[] parseRange(String header, long size) {
        if (!header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = header.substring(6).trim();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new long[]{Math.max(0, size - suffix), size - 1};
            }
            long start = Long.parseLong(first);
            // RFC 9110 §14.1.2: a first position at or past the end is unsatisfiable, whatever the last position.
            if (start >= size) {
                return UNSATISFIABLE;
            }
            long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
            if (end < start) {
                return null;
            }
            return new long[]{start, Math.min(end, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** RFC 6266: an ASCII fallback without quotes/controls, and the exact name as RFC 5987 UTF-8 in filename*. */
    static String contentDisposition(String filename) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            ascii.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%' ? '_' : c);
        }
        String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
