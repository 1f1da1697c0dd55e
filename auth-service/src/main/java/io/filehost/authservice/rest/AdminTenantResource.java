package io.filehost.authservice.rest;

import io.filehost.authservice.service.AdminRequestException;
import io.filehost.authservice.service.TenantService;
import io.filehost.authservice.service.TenantView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

@AdminApi
@Path("/admin/tenants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminTenantResource {

    public record CreateTenantRequest(String name, List<String> hosts, String publicBaseUrl, Boolean strictHttp,
                                      String timeZone, Boolean isDefault) {
    }

    @Inject
    TenantService tenants;

    @POST
    public Response create(CreateTenantRequest request) {
        if (request == null) {
            throw AdminRequestException.badRequest("a JSON body is required");
        }
        TenantView tenant = tenants.create(new TenantService.NewTenant(request.name(), request.hosts(),
                request.publicBaseUrl(), request.strictHttp(), request.timeZone(), request.isDefault()));
        return Response.status(Response.Status.CREATED).entity(AdminJson.tenant(tenant)).build();
    }

    @GET
    public List<Map<String, Object>> list() {
        return tenants.list().stream().map(AdminJson::tenant).toList();
    }

    @GET
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name) {
        return tenants.get(name).map(AdminJson::tenant)
                .orElseThrow(() -> AdminRequestException.notFound("unknown tenant: " + name));
    }
}
