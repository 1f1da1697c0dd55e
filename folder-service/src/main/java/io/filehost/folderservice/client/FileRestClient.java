package io.filehost.folderservice.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.Map;

/**
 * file-service's internal endpoints (docs/internal-api.md). The caller's JWT and the gateway's headers are propagated
 * ({@code org.eclipse.microprofile.rest.client.propagateHeaders}), so file-service answers for the same account only.
 * Package-private: used only through {@link FileClient}, which adds the time limit, retries, circuit breaker and span.
 */
@RegisterRestClient(configKey = "file-service")
@RegisterClientHeaders
@Path("/internal")
interface FileRestClient {

    @POST
    @Path("folder-stats")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, FolderStat> folderStats(FolderStatsRequest request);

    /** {@code folderId} null = the account's root. */
    @GET
    @Path("folder-files")
    @Produces(MediaType.APPLICATION_JSON)
    FolderFiles folderFiles(@QueryParam("folderId") String folderId);

    record FolderStatsRequest(List<String> folderIds) {
    }

    /** Listing entries, kept as file-service wrote them (field order and string values are the API's). */
    record FolderFiles(List<ObjectNode> files) {
    }

    /** 4xx: file-service refused this request, and asking again will not change that; 5xx: worth a retry. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500) {
            return new FileServiceRefused(status);
        }
        return status >= 500 ? new FileServiceFailed(status) : null;
    }

    final class FileServiceRefused extends RuntimeException {
        private final int status;

        public FileServiceRefused(int status) {
            super("file-service refused the request with HTTP " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    final class FileServiceFailed extends RuntimeException {
        public FileServiceFailed(int status) {
            super("file-service failed with HTTP " + status, null, false, false);
        }
    }
}
