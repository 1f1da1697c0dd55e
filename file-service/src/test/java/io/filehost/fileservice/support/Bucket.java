package io.filehost.fileservice.support;

import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;

/** What S3 holds under a prefix: objects, and multipart uploads started but neither completed nor aborted. */
public final class Bucket {
    private Bucket() {
    }

    public static long objects(MinioClient minio, String bucket, String prefix) throws Exception {
        long n = 0;
        for (var item : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                .build())) {
            item.get();
            n++;
        }
        return n;
    }

    public static long pendingUploads(MinioAsyncClient s3, String bucket, String prefix) throws Exception {
        return s3.listMultipartUploadsAsync(bucket, null, null, null, null, null, prefix, null, null, null).get()
                .result().uploads().size();
    }
}
