package io.filehost.folderservice.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.folderservice.client.FileRestClient.FileServiceRefused;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls to file-service with a time limit, retries (both calls are idempotent reads) and a circuit breaker, so a slow
 * or dead file-service costs a listing seconds at most and, once the breaker opens, nothing. A refusal (4xx) is not
 * retried and does not count against the breaker. Failures surface as {@link #unavailable(RuntimeException)} decides:
 * never as silent zeros, which would show wrong totals as if they were right.
 */
@ApplicationScoped
public class FileClient {
    private static final Logger LOG = Logger.getLogger(FileClient.class);

    @Inject
    @RestClient
    FileRestClient api;

    /** Statistics of the files directly in each folder; ids file-service does not know come back as zeros. */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, abortOn = FileServiceRefused.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, skipOn = FileServiceRefused.class)
    @WithSpan("file-service folder-stats")
    public Map<Long, FolderStat> folderStats(Collection<Long> folderIds) {
        Map<String, FolderStat> answer = api.folderStats(
                new FileRestClient.FolderStatsRequest(folderIds.stream().map(String::valueOf).toList()));
        Map<Long, FolderStat> stats = new HashMap<>();
        if (answer != null) {
            answer.forEach((id, stat) -> stats.put(Long.parseLong(id), stat));
        }
        return stats;
    }

    /** Listing entries of the active files directly in the folder ({@code null} = root), in filename order. */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, abortOn = FileServiceRefused.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, skipOn = FileServiceRefused.class)
    @WithSpan("file-service folder-files")
    public List<ObjectNode> folderFiles(Long folderId) {
        FileRestClient.FolderFiles answer = api.folderFiles(folderId == null ? null : folderId.toString());
        return answer == null || answer.files() == null ? List.of() : answer.files();
    }

    /** What the client sees when file-service could not answer: its JWT expired meanwhile (401), or a 503/504. */
    public static ApiException unavailable(RuntimeException failure) {
        if (failure instanceof FileServiceRefused refused && refused.status() == 401) {
            return ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        }
        LOG.warnf("file-service call failed: %s", failure.toString());
        if (failure instanceof TimeoutException) {
            return new ApiException(504, ApiMessages.SERVICE_TIMEOUT);
        }
        return new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
    }
}
