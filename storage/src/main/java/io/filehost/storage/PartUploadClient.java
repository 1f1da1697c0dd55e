package io.filehost.storage;

import io.minio.MinioAsyncClient;
import io.minio.credentials.Credentials;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InternalException;
import io.minio.http.Method;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;

/**
 * The MinIO client (same endpoint, credentials and HTTP client as the one it is made from) for {@link ObjectWriter}'s
 * part uploads only, sending a part given as {@code byte[]} as it is, with {@code x-amz-content-sha256:
 * UNSIGNED-PAYLOAD}: SigV4 still signs the request (method, URL with upload id and part number, headers), not the
 * part's bytes. The stock client, for a {@code byte[]} body, hashes every part twice more (SHA-256 for the signature on
 * plain HTTP, MD5 for {@code Content-MD5}), and S3Proxy buffers a whole signed part in memory to check its hash; the
 * object's own MD5 and SHA-256 are computed once by the caller anyway. Every other request is the stock one. On
 * plain http its connections write in large pieces ({@link CoalescingSocketFactory}).
 */
final class PartUploadClient extends MinioAsyncClient {
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final byte[] EMPTY = new byte[0];

    PartUploadClient(MinioAsyncClient client) {
        super(client);
        if (!baseUrl.isHttps()) {
            // Parts are the bulk of every byte stored: their own connections, written in large pieces
            // (CoalescingSocketFactory). A pool of their own too: OkHttp's pool matches connections by address
            // without the socket factory, so with the shared pool the parts would reuse the stock client's sockets.
            httpClient = httpClient.newBuilder().connectionPool(new ConnectionPool())
                    .socketFactory(new CoalescingSocketFactory()).build();
        }
    }

    @Override
    protected Request createRequest(HttpUrl url, Method method, Headers headers, Object body, int length,
                                    Credentials creds)
            throws InsufficientDataException, InternalException, IOException, NoSuchAlgorithmException {
        if (!(body instanceof byte[] bytes) || method != Method.PUT || url.queryParameter("uploadId") == null
                || url.queryParameter("partNumber") == null) {
            return super.createRequest(url, method, headers, body, length, creds);
        }
        // The stock request for an empty body (host, date, user agent, content type, credentials' session token),
        // then the part's bytes without any hash; executeAsync signs it with the header set here.
        Request empty = super.createRequest(url, method, headers, EMPTY, 0, creds);
        RequestBody part = RequestBody.create(bytes, empty.body() == null ? null : empty.body().contentType(), 0,
                length);
        return empty.newBuilder()
                .removeHeader("Content-MD5")
                .header("x-amz-content-sha256", UNSIGNED_PAYLOAD)
                .method(method.toString(), part)
                .build();
    }
}
