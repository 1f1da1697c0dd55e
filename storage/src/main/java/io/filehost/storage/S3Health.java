package io.filehost.storage;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the S3 endpoint answers and the bucket exists, in {@code /q/health} and {@code /q/health/well}, deliberately
 * not in readiness (docs/observability.md): S3 is shared by every replica, so an S3 outage would take all of them out
 * of rotation at once, turning "uploads and downloads answer 503" into "nothing answers at all" (listings, renames,
 * folder calls still work without S3).
 */
@Wellness
@ApplicationScoped
public class S3Health implements HealthCheck {
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
