package io.filehost.storage;

import io.filehost.common.failure.Failures;
import io.filehost.common.failure.OutageRule;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * S3 answering with a 5xx (an error document such as {@code InternalError}/{@code SlowDown}, or a bare 5xx page) is
 * S3 being unavailable, not a bug of ours; connection failures are recognised by {@link Failures} from the stack.
 * <p>
 * The error code counts as much as the status: S3 answers {@code CompleteMultipartUpload} (and {@code CopyObject})
 * with 200 at once and may then put an {@code <Error>} document in that 200's body when the work fails — AWS
 * documents it for these calls, and S3Proxy on a full disk did it to us. The MinIO client raises those with the
 * response's 200, so the status alone would call S3's "try again" a bug of ours (a 500).
 */
@ApplicationScoped
public class S3OutageRule implements OutageRule {
    /** S3 error codes that mean "the store cannot do it now; retry" (AWS S3 API reference, "Error responses"). */
    static final Set<String> RETRY_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "XMinioServerNotInitialized", "XMinioStorageFull");

    @Override
    public String dependencyDown(Throwable failure) {
        if (failure instanceof ServerException) {
            return Failures.S3;
        }
        if (failure instanceof ErrorResponseException error) {
            if (error.response() != null && error.response().code() >= 500) {
                return Failures.S3;
            }
            if (error.errorResponse() != null && RETRY_CODES.contains(error.errorResponse().code())) {
                return Failures.S3;
            }
        }
        return null;
    }
}
