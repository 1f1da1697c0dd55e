package io.filehost.storage;

import io.filehost.common.failure.Failures;
import io.filehost.common.failure.OutageRule;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * S3 answering with a 5xx (an error document such as {@code InternalError}/{@code SlowDown}, or a bare 5xx page) is
 * S3 being unavailable, not a bug of ours; connection failures are recognised by {@link Failures} from the stack.
 */
@ApplicationScoped
public class S3OutageRule implements OutageRule {
    @Override
    public String dependencyDown(Throwable failure) {
        if (failure instanceof ServerException) {
            return Failures.S3;
        }
        if (failure instanceof ErrorResponseException error && error.response() != null
                && error.response().code() >= 500) {
            return Failures.S3;
        }
        return null;
    }
}
