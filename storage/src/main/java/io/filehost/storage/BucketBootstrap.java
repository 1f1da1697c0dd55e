package io.filehost.storage;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Makes sure the bucket exists before the first request. A failure here does not stop the service: readiness stays
 * down until S3 answers, and the next start tries again.
 */
@ApplicationScoped
public class BucketBootstrap {
    private static final Logger LOG = Logger.getLogger(BucketBootstrap.class);

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig config;

    void onStart(@Observes StartupEvent event) {
        if (!config.createBucket()) {
            return;
        }
        try {
            ensureBucket();
        } catch (Exception e) {
            LOG.warnf("Bucket %s could not be checked at start (%s); readiness reports it", config.bucket(),
                    e.getMessage());
        }
    }

    public void ensureBucket() throws Exception {
        if (!minio.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
            minio.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).build());
            LOG.infof("Created bucket %s", config.bucket());
        }
    }
}
