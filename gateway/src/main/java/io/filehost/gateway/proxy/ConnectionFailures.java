package io.filehost.gateway.proxy;

import io.filehost.common.failure.Failure;
import io.filehost.common.failure.Failures;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Failures of a connection itself, a client's or one to a service. Without a handler Vert.x logs each at ERROR as
 * unhandled ({@code io.vertx.core.net.impl.ConnectionBase: Connection reset}). A peer that vanishes is no error of
 * ours: a client that went away (closed tab, dropped link), a service replica that was killed (the request it was
 * serving already answers 503 with its own WARN, see {@link UpstreamCall}). Those are DEBUG; anything else on a
 * connection stays an ERROR. The requests on the connection learn of the failure through their own handlers.
 */
final class ConnectionFailures {
    private static final Logger LOG = Logger.getLogger(ConnectionFailures.class);

    private static final Handler<Throwable> CLIENT = failure -> log("client", failure);
    private static final Handler<Throwable> SERVICE = failure -> log("service", failure);

    private ConnectionFailures() {
    }

    /** On the request's client connection (again for each request of a kept-alive one: cheap). */
    static void watchClient(HttpServerRequest request) {
        request.connection().exceptionHandler(CLIENT);
    }

    /** On each new connection of the upstream client. */
    static void watchService(HttpConnection connection) {
        connection.exceptionHandler(SERVICE);
    }

    private static void log(String peer, Throwable failure) {
        if (Failures.classify(failure, List.of()) instanceof Failure.ClientGone gone) {
            LOG.debugf("A %s connection broke: %s", peer, gone.reason());
        } else {
            LOG.errorf(failure, "A %s connection failed", peer);
        }
    }
}
