package io.filehost.authservice.rest;

import io.filehost.authservice.service.AccountService;
import io.filehost.authservice.service.PackageView;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.ApiResponses;
import io.filehost.common.rest.Caller;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * /account/info and /account/package (behaviour.md §4). The account is the JWT's subject, within the JWT's tenant:
 * the gateway only mints a JWT for a token that belongs to the account_id the client sent.
 */
@Path("/api/v2/account")
@Authenticated
public class AccountResource {

    @Inject
    AccountService accounts;

    @Inject
    Caller caller;

    @POST
    @Path("info")
    public Response info() {
        return accounts.info(caller.accountId(), caller.tenantId())
                .map(info -> ApiResponses.ok(Envelope.success()
                        .data(ApiV2Json.accountInfo(info, caller.zone())).build(caller.zone())))
                .orElseThrow(() -> ApiException.unauthorized(ApiMessages.INVALID_TOKEN));
    }

    @POST
    @Path("package")
    public Response accountPackage() {
        PackageView view = accounts.packageOf(caller.accountId(), caller.tenantId())
                .orElseThrow(() -> ApiException.unauthorized(ApiMessages.INVALID_TOKEN));
        return ApiResponses.ok(Envelope.success()
                .data(ApiV2Json.accountPackage(view.id(), view.spec())).build(caller.zone()));
    }
}
