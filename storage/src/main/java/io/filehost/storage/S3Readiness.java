package io.filehost.storage;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the S3 endpoint answers and the bucket exists: without it no byte can be stored or served. */
@Readiness
@ApplicationScoped
public class S3Readiness implements HealthCheck {
    @Inject
    MinioClient minio;

    @Inject
    StorageConfig config;

    @Override
    public HealthCheckResponse call() {
        try {
            boolean exists = minio.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
            return HealthCheckResponse.named("s3").status(exists).withData("bucket", config.bucket()).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("s3").down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
