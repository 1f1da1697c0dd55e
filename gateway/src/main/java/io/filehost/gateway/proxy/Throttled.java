package io.filehost.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body stream sent no faster than a package's download speed: after each chunk, the source is paused until the
 * bytes sent so far are due, so the wait costs a timer, not a thread. The reader's own pause (a full write queue) and
 * the throttle's are independent: the source flows only when neither holds it.
 */
final class Throttled implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final Vertx vertx;
    private final long bytesPerSecond;
    private final long began = System.nanoTime();
    private long sent;
    private boolean readerPaused;
    private boolean throttled;
    private Handler<Buffer> handler;

    private Throttled(ReadStream<Buffer> source, Vertx vertx, long bytesPerSecond) {
        this.source = source;
        this.vertx = vertx;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** {@code source} itself when there is no limit (0 or less). */
    static ReadStream<Buffer> of(ReadStream<Buffer> source, Vertx vertx, long bytesPerSecond) {
        return bytesPerSecond > 0 ? new Throttled(source, vertx, bytesPerSecond) : source;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> chunkHandler) {
        this.handler = chunkHandler;
        source.handler(chunkHandler == null ? null : this::chunk);
        return this;
    }

    private void chunk(Buffer chunk) {
        handler.handle(chunk);
        sent += chunk.length();
        long waitMillis = (began + sent * 1_000_000_000L / bytesPerSecond - System.nanoTime()) / 1_000_000L;
        if (waitMillis > 0 && !throttled) {
            throttled = true;
            source.pause();
            vertx.setTimer(waitMillis, id -> {
                throttled = false;
                if (!readerPaused) {
                    source.resume();
                }
            });
        }
    }

    @Override
    public ReadStream<Buffer> pause() {
        readerPaused = true;
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        readerPaused = false;
        if (!throttled) {
            source.resume();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        return resume();
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> exceptionHandler) {
        source.exceptionHandler(exceptionHandler);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler);
        return this;
    }
}
