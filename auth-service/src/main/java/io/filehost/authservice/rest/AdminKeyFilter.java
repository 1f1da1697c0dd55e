package io.filehost.authservice.rest;

import io.filehost.authservice.service.AdminAccess;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/**
 * Guards every {@link AdminApi} resource with {@code X-Admin-Key}. Without a configured key hash the admin API does
 * not exist (404), so a deployment that never set one exposes nothing to probe; a wrong or missing key is 403.
 */
@AdminApi
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminKeyFilter implements ContainerRequestFilter {
    static final String ADMIN_KEY = "X-Admin-Key";

    // An application-scoped bean (a lazy proxy): providers are built before runtime configuration is available.
    @Inject
    AdminAccess access;

    @Override
    public void filter(ContainerRequestContext request) {
        switch (access.check(request.getHeaderString(ADMIN_KEY))) {
            case DISABLED -> request.abortWith(error(Response.Status.NOT_FOUND, "not found"));
            case DENIED -> request.abortWith(error(Response.Status.FORBIDDEN, "forbidden"));
            case ALLOWED -> {
            }
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
