package io.filehost.gateway.proxy;

import io.filehost.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;

/**
 * The gateway's reads from S3 for downloads (docs/downloads.md): file-service authorises a download and answers with a
 * presigned GET instead of the bytes, and the bytes go S3 → gateway → client without a second hop through a JVM that
 * only copies them. The URL comes from file-service's response (a trusted service), never from a client: the gateway
 * strips the internal headers from every client request and from every answer it relays.
 */
@ApplicationScoped
public class ObjectStore {
    private final HttpClient client;
    private final long connectTimeoutMillis;

    @Inject
    public ObjectStore(Vertx vertx, GatewayConfig config) {
        this.connectTimeoutMillis = config.upstream().connectTimeout().toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setDecompressionSupported(false)
                // as towards the services: 64 KiB chunks, 8x fewer writes than Netty's default
                .setMaxChunkSize(65536)
                .setConnectTimeout((int) connectTimeoutMillis);
        this.client = vertx.httpClientBuilder().with(options)
                .with(new PoolOptions().setHttp1MaxSize(config.upstream().maxConnections())).build();
    }

    /**
     * GETs a presigned URL ({@code range}: the Range header to send, or null for the whole object) and completes with
     * the response once its head says it holds exactly what file-service promised the client: 206 for a range, 200
     * otherwise, and {@code expectedLength} bytes. Anything else fails the future (an outage or an inconsistency the
     * client must not receive as a download).
     */
    Future<HttpClientResponse> get(String presignedUrl, String range, long expectedLength) {
        URI uri;
        try {
            uri = URI.create(presignedUrl);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IOException("file-service sent an unusable object URL"));
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            return Future.failedFuture(new IOException("file-service sent an object URL that is not http(s)"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(presignedUrl)
                .setConnectTimeout(connectTimeoutMillis);
        if (range != null) {
            options.putHeader("Range", range);
        }
        return client.request(options).compose(request -> request.send().compose(response -> {
            int expectedStatus = range == null ? 200 : 206;
            String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (response.statusCode() != expectedStatus || length == null
                    || !length.equals(Long.toString(expectedLength))) {
                // Our own reset: the response then fails with it, which nobody else listens for (it would be logged
                // as an unhandled ERROR).
                response.exceptionHandler(expected -> { });
                request.reset();
                return Future.failedFuture(new IOException("S3 answered " + response.statusCode() + " with "
                        + length + " bytes where " + expectedStatus + " with " + expectedLength + " were expected"));
            }
            return Future.succeededFuture(response);
        }));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
