package io.filehost.systemtests;

import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.Upload;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The local platform's S3 (S3Proxy, started by deploy/local/infra.sh) seen through the S3 API, as an operator with the
 * store's credentials sees it: to prove that the platform left nothing behind (an incomplete multipart upload, a tus
 * tail object). The defaults are infra.sh's; {@code fh.s3.*} properties (or infra.sh's FH_S3_* variables) override.
 */
final class LocalS3 {
    static final String BUCKET = System.getProperty("fh.s3.bucket", "filehost");
    private static final MinioAsyncClient S3 = MinioAsyncClient.builder()
            .endpoint(System.getProperty("fh.s3.url", "http://127.0.0.1:9000"))
            .region("us-east-1") // no bucket-location lookup first
            .credentials(setting("fh.s3.access-key", "FH_S3_ACCESS_KEY", "filehost"),
                    setting("fh.s3.secret-key", "FH_S3_SECRET_KEY", "filehost-secret"))
            .build();

    private LocalS3() {
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property, System.getenv(env));
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A multipart upload S3 holds: the object it would become and its id. */
    record MultipartUpload(String key, String uploadId) {
    }

    /** Every multipart upload of the bucket that is neither completed nor aborted. */
    static Set<MultipartUpload> incompleteUploads() {
        Set<MultipartUpload> uploads = new HashSet<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            var result = call(keyMarker, uploadIdMarker);
            for (Upload upload : result.uploads()) {
                uploads.add(new MultipartUpload(upload.objectName(), upload.uploadId()));
            }
            if (!result.isTruncated()) {
                return uploads;
            }
            keyMarker = result.nextKeyMarker();
            uploadIdMarker = result.nextUploadIdMarker();
        }
    }

    private static io.minio.messages.ListMultipartUploadsResult call(String keyMarker, String uploadIdMarker) {
        return join("listing the multipart uploads of " + BUCKET, () -> S3.listMultipartUploadsAsync(BUCKET, null,
                null, null, keyMarker, 1000, null, uploadIdMarker, null, null)).result();
    }

    /** How many parts S3 holds for {@code upload} (the first 1000). */
    static int partCount(MultipartUpload upload) {
        return join("listing the parts of " + upload, () -> S3.listPartsAsync(BUCKET, null, upload.key(), 1000, null,
                upload.uploadId(), null, null)).result().partList().size();
    }

    private interface S3Call<T> {
        java.util.concurrent.CompletableFuture<T> start() throws Exception;
    }

    private static <T> T join(String what, S3Call<T> call) {
        try {
            return call.start().join();
        } catch (CompletionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(what + " failed", e);
        }
    }

    /** The names of the bucket's objects that start with {@code prefix}. */
    static Set<String> objects(String prefix) {
        Set<String> names = new HashSet<>();
        for (Result<Item> item : S3.listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix)
                .recursive(true).build())) {
            try {
                names.add(item.get().objectName());
            } catch (Exception e) {
                throw new AssertionError("listing " + BUCKET + "/" + prefix + " failed", e);
            }
        }
        return names;
    }
}
