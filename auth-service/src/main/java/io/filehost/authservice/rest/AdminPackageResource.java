package io.filehost.authservice.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.authservice.service.AdminRequestException;
import io.filehost.authservice.service.PackageService;
import io.filehost.authservice.service.PackageSpec;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

@AdminApi
@Path("/admin/packages")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminPackageResource {

    @Inject
    PackageService packages;

    /** {@code {"tenant","name", every /account/package field}}: every field is required, none defaults silently. */
    @POST
    public Response create(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AdminRequestException.badRequest("a JSON object is required");
        }
        PackageSpec spec = AdminJson.packageSpec(body);
        return Response.status(Response.Status.CREATED)
                .entity(AdminJson.packageView(packages.create(AdminJson.text(body, "tenant"),
                        AdminJson.text(body, "name"), spec)))
                .build();
    }

    @GET
    public List<Map<String, Object>> list(@QueryParam("tenant") String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw AdminRequestException.badRequest("query parameter tenant is required");
        }
        return packages.list(tenant).stream().map(AdminJson::packageView).toList();
    }
}
