package io.filehost.authservice.rest;

import io.filehost.authservice.service.AdminRequestException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** The admin API answers plain JSON errors, {@code {"error": "..."}}. */
public class AdminExceptionMapper {
    private static final Logger LOG = Logger.getLogger(AdminExceptionMapper.class);

    @ServerExceptionMapper
    public Response adminRequest(AdminRequestException e) {
        return error(e.status(), e.getMessage());
    }

    /**
     * Uniqueness is checked before writing; this is the race of two identical admin requests at once, where the
     * database constraint decides.
     */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, HttpServerRequest request) {
        LOG.warnf("%s %s violated %s", request.method(), request.path(), e.getConstraintName());
        return error(409, "conflict with an existing record (" + e.getConstraintName() + ")");
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
