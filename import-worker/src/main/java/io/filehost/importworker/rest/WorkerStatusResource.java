package io.filehost.importworker.rest;

import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.ApiResponses;
import io.filehost.common.rest.Caller;
import io.filehost.importworker.service.ImportProcessor;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.lang.management.ManagementFactory;

/**
 * The worker has no public API: it takes its work from Kafka. This internal view (which instance answered, since
 * when) lets operators and the replica tests see how jobs spread over the workers; like every internal endpoint it
 * requires the internal JWT.
 */
@Path("/internal/worker/status")
@Authenticated
@Produces(ApiMedia.JSON_UTF8)
public class WorkerStatusResource {
    @ConfigProperty(name = "quarkus.uuid")
    String instanceId;

    @Inject
    Caller caller;

    @Inject
    ImportProcessor imports;

    @GET
    public Response status() {
        return ApiResponses.ok(Envelope.success()
                .data(Envelope.object()
                        .put("instance", instanceId)
                        .put("uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime())
                        .put("active_imports", imports.active()))
                .build(caller.zone()));
    }

    /** Same view for POST, the API's usual verb. */
    @POST
    public Response statusByPost() {
        return status();
    }
}
