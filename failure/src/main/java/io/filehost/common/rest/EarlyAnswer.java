package io.filehost.common.rest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * An answer given before the request body has been read to its end (a refused or failed upload): HTTP/1.1 lets a
 * server answer early and then close the connection (RFC 9112 §9.6), which is the only way to stop a client that is
 * still sending without reading, or waiting for, the rest of its body.
 */
public final class EarlyAnswer {
    /** How long what still arrives after the answer is read and dropped before the connection is closed. */
    public static final long LINGER_MILLIS = 3000;

    private EarlyAnswer() {
    }

    /**
     * Marks the coming answer of {@code ctx} as the last one on its connection when the request body is not
     * complete: HTTP/1.x gets {@code Connection: close} and the connection is closed (lingering) once the answer is
     * written; HTTP/2 forbids the header, there the rest of the stream is read and dropped. Callable from the worker
     * thread that handles the request, before the answer is written.
     */
    public static void closeAfterAnswer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || ctx.response().ended()) {
            return;
        }
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        Vertx vertx = ctx.vertx();
        ctx.addEndHandler(done -> {
            if (http1) {
                lingerThenClose(request, vertx, LINGER_MILLIS);
            } else {
                drop(request);
            }
        });
    }

    /**
     * Closes the connection of a request whose body is still coming. Closing with unread bytes makes the kernel
     * reset the connection, and the client may then lose the answer it has not read yet; so what still arrives is
     * read and dropped for up to {@code millis} first (what nginx calls a lingering close). Event-loop thread only.
     */
    public static void lingerThenClose(HttpServerRequest request, Vertx vertx, long millis) {
        HttpConnection connection = request.connection();
        long timer = vertx.setTimer(millis, id -> connection.close());
        try {
            request.handler(chunk -> { });
            request.exceptionHandler(e -> { });
            request.endHandler(v -> {
                vertx.cancelTimer(timer);
                connection.close();
            });
            request.resume();
        } catch (IllegalStateException alreadyEnded) {
            vertx.cancelTimer(timer);
            connection.close();
        }
    }

    private static void drop(HttpServerRequest request) {
        try {
            request.handler(chunk -> { });
            request.exceptionHandler(e -> { });
            request.resume();
        } catch (IllegalStateException alreadyEnded) {
            // nothing left to read
        }
    }
}
