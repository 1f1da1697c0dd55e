package io.filehost.gateway.proxy;

import io.filehost.common.failure.Failure;
import io.filehost.common.failure.Failures;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Failures of a client's connection itself. Without a handler Vert.x logs every one at ERROR as unhandled
 * ({@code io.vertx.core.net.impl.ConnectionBase: Connection reset}), and a client that vanishes (closed tab, dropped
 * mobile link, killed curl) is no error of ours: DEBUG. Anything else on the connection stays an ERROR. The request
 * itself learns of the failure separately (its exception and close handlers: see {@link Exchange}).
 */
final class ClientConnections {
    private static final Logger LOG = Logger.getLogger(ClientConnections.class);

    private static final Handler<Throwable> ON_FAILURE = failure -> {
        if (Failures.classify(failure, List.of()) instanceof Failure.ClientGone gone) {
            LOG.debugf("A client connection broke: %s", gone.reason());
        } else {
            LOG.errorf(failure, "A client connection failed");
        }
    };

    private ClientConnections() {
    }

    /** Installs the handler on the request's connection (again for each request of a kept-alive one: cheap). */
    static void watch(HttpServerRequest request) {
        request.connection().exceptionHandler(ON_FAILURE);
    }
}
