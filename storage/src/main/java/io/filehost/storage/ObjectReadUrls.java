package io.filehost.storage;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.http.Method;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Short-lived presigned GET URLs, so that a download's bytes go from S3 to the gateway without passing through this
 * service (docs/downloads.md): the service decides who may read what, the gateway moves the bytes.
 */
@ApplicationScoped
public class ObjectReadUrls {
    /**
     * How long the URL may be used to start a GET. The gateway starts at once; the margin covers clock skew between
     * the signer and the store. A GET that has started is not cut when the URL expires.
     */
    static final int VALID_SECONDS = 300;

    @Inject
    MinioClient s3;

    @Inject
    StorageConfig config;

    /**
     * A GET URL for {@code key}, after asking S3 for the object's metadata: an S3 that cannot serve fails here (an
     * outage, before the caller charges anything), and an object of another size than the caller's record is refused.
     */
    public String readable(String key, long expectedSize) throws IOException {
        long size;
        try {
            size = s3.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(key).build()).size();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("reading the object's metadata in S3 failed", e);
        }
        if (size != expectedSize) {
            throw new IllegalStateException("object " + key + " has " + size + " bytes, its record " + expectedSize);
        }
        try {
            return s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
                    .bucket(config.bucket()).object(key).expiry(VALID_SECONDS, TimeUnit.SECONDS).build());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("signing a GET of the object failed", e);
        }
    }
}
