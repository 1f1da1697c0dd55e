package io.filehost.fileservice.rest;

import io.filehost.common.api.TusProtocol;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** The headers the tus protocol wants on every answer of its endpoint, errors included. */
public class TusHeaders {
    /** Every tus answer names the protocol version; a 412 and OPTIONS also list the versions spoken. */
    @ServerResponseFilter
    public void tusHeaders(ContainerResponseContext response, HttpServerRequest request) {
        if (request.path() != null && request.path().startsWith("/api/v2/file/tus")) {
            response.getHeaders().putSingle("Tus-Resumable", TusProtocol.VERSION);
            if (response.getStatus() == 412 || "OPTIONS".equals(request.method().name())) {
                response.getHeaders().putSingle("Tus-Version", TusProtocol.VERSION);
            }
        }
    }
}
