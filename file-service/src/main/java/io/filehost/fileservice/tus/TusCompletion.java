package io.filehost.fileservice.tus;

import io.filehost.fileservice.entity.FileRecord;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.service.Uploader;
import io.filehost.storage.MultipartSteps;
import io.filehost.storage.ResumableDigest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minio.messages.Part;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The end of a resumable upload: S3's CompleteMultipartUpload and the file row, the same row {@code /file/upload}
 * makes. Nothing here is proportional to the file's size (the digests' states were saved with the last byte).
 */
@ApplicationScoped
public class TusCompletion {
    @Inject
    TusStore store;

    @Inject
    MultipartSteps s3;

    @Inject
    FileService files;

    @Inject
    Quotas quotas;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "filehost.tus.completed-retention", defaultValue = "PT24H")
    Duration completedRetention;

    /**
     * Completes an upload whose bytes are all in S3 (status completing): CompleteMultipartUpload, then the file row
     * with the upload rules in one transaction. Idempotent: a retry after a crash between the two finds the object
     * already complete.
     */
    public FileRecord finish(TusUpload upload, Account account) {
        List<Part> parts = store.parts(upload.id());
        long started = System.nanoTime();
        try {
            s3.complete(upload.objectKey(), upload.s3UploadId(), parts);
        } catch (IOException e) {
            long size;
            try {
                size = s3.size(upload.objectKey());
            } catch (IOException again) {
                throw new Uploader.UploadFailedException("could not complete the S3 multipart upload", e);
            }
            if (size != upload.length()) {
                throw new Uploader.UploadFailedException("could not complete the S3 multipart upload", e);
            }
        }
        long stored = System.nanoTime();
        completion("store").record(stored - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        String[] digests = ResumableDigest.restore(upload.md5State(), upload.sha256State()).finishHex();
        FileService.Content content = new FileService.Content(upload.objectKey(), upload.length(), digests[0],
                digests[1]);
        FileService.NewRecord created = QuarkusTransaction.requiringNew().call(() -> {
            quotas.lock(upload.tenantId(), upload.accountId());
            quotas.use(upload.tenantId(), upload.accountId(), upload.length());
            FileService.NewRecord record = files.insertRecord(account, content, upload.filename(), upload.folderId(),
                    "api");
            store.completed(upload.id(), record.file().id, Instant.now().plus(completedRetention));
            return record;
        });
        files.afterCommit(created);
        completion("ours").record(System.nanoTime() - stored, java.util.concurrent.TimeUnit.NANOSECONDS);
        return created.file();
    }

    /**
     * Time from the last byte to the answer, in two parts: the store's CompleteMultipartUpload (S3Proxy's filesystem
     * backend concatenates the parts, seconds per GiB; MinIO does not) and ours (digests, file row, quota).
     */
    private Timer completion(String part) {
        return Timer.builder("filehost.tus.completion").tag("part", part)
                .description("resumable upload completion, the store's CompleteMultipartUpload vs ours")
                .register(registry);
    }
}
