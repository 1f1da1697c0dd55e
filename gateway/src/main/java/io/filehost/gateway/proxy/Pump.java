package io.filehost.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.function.BooleanSupplier;

/**
 * The one back-pressure loop of the gateway, used by its three relays: a request body to a service (public paths,
 * tus), the live part of a streamed upload (after the replay of its recording), and a service's answer to the
 * client. Chunks are written as they come (the same buffer, never copied); the source pauses while the sink's write
 * queue is full and resumes when it drains.
 *
 * <p>Not Vert.x' {@code pipeTo}/{@link io.vertx.core.streams.Pipe}: a Pipe takes over the source's data, end and
 * exception handlers and the sink's exception handler, and ends (or fails) the sink itself. The relays need each
 * chunk (byte counters, the idle timer's progress mark); they decide what an end means (a service that answers
 * before the upload is complete ends the response while the request still streams; a client that vanishes must
 * reach the service as a reset, not as an end); and the upload's request handler scans and records before it
 * pushes. So the loop is this small class, and each relay keeps its handlers.
 */
final class Pump {
    /**
     * Bytes a relayed body may have queued on the outgoing connection before the incoming side is paused. Vert.x'
     * default (64 KiB) means a pause/resume round every few chunks on a fast loopback pipe; 512 KiB still bounds
     * the memory per exchange and direction and measurably lowered the gateway's CPU per byte in ./dev bench.
     */
    static final int WRITE_QUEUE_BYTES = 512 * 1024;

    private final ReadStream<Buffer> source;
    private final WriteStream<Buffer> sink;

    /**
     * Connects {@code source} to {@code sink} for back-pressure: on each drain of the sink, {@code progress} runs and
     * the source is resumed if {@code mayResume} still holds. Handlers run through {@code exchange}'s guard.
     */
    Pump(ReadStream<Buffer> source, WriteStream<Buffer> sink, Exchange exchange, BooleanSupplier mayResume) {
        this.source = source;
        this.sink = sink;
        sink.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        sink.drainHandler(v -> exchange.guard(() -> {
            exchange.upstream.touch();
            if (mayResume.getAsBoolean()) {
                source.resume();
            }
        }));
    }

    /** Writes one chunk of the source to the sink; pauses the source while the sink's queue is full. */
    void push(Buffer chunk) {
        sink.write(chunk);
        if (sink.writeQueueFull()) {
            source.pause();
        }
    }
}
