package io.filehost.authservice.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.filehost.authservice.service.AccountAdminService;
import io.filehost.authservice.service.AdminRequestException;
import io.filehost.common.api.ApiParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

@AdminApi
@Path("/admin/accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    public record CreateAccountRequest(String tenant, String username, @JsonProperty("package") String packageName,
                                       String email, String title, String firstname, String lastname) {
    }

    public record StatusRequest(String status) {
    }

    @Inject
    AccountAdminService accounts;

    /** The answer carries key2: the only time it exists in clear. */
    @POST
    public Response create(CreateAccountRequest request) {
        if (request == null) {
            throw AdminRequestException.badRequest("a JSON body is required");
        }
        var credentials = accounts.create(new AccountAdminService.NewAccount(request.tenant(), request.username(),
                request.packageName(), request.email(), request.title(), request.firstname(), request.lastname()));
        return Response.status(Response.Status.CREATED).entity(AdminJson.credentials(credentials)).build();
    }

    @POST
    @Path("{id}/keys")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> rotateKeys(@PathParam("id") String id) {
        return AdminJson.credentials(accounts.rotateKeys(accountId(id)));
    }

    @POST
    @Path("{id}/status")
    public Map<String, Object> setStatus(@PathParam("id") String id, StatusRequest request) {
        if (request == null || request.status() == null) {
            throw AdminRequestException.badRequest("status is required");
        }
        return AdminJson.summary(accounts.setStatus(accountId(id), request.status()));
    }

    private static long accountId(String id) {
        Long accountId = ApiParams.parseId(id);
        if (accountId == null) {
            throw AdminRequestException.notFound("unknown account: " + id);
        }
        return accountId;
    }
}
