package io.filehost.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;

/**
 * Part-sized buffers kept between uploads. A part buffer (MiBs) is larger than the young generation of the services'
 * small heaps, so each new one is allocated straight in the old generation and stays there, as "live" heap, until a
 * full collection: an upload that takes new ones for every request (a tus PATCH) or object grows the heap by tens of
 * MiB per GiB. Reused, the same few buffers serve every upload. Kept: as many as one upload uses at once (its parts
 * in flight and the one being read), 3 × 8 MiB by default, so an idle service holds little; concurrent uploads make
 * more when needed and those are left to the collector. What is kept shows as the gauge
 * {@code filehost.storage.part.buffers.pooled} (bytes), so a heap figure can be told apart from the pool.
 */
@ApplicationScoped
public class PartBuffers {
    @Inject
    StorageConfig config;

    @Inject
    MeterRegistry registry;

    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private int retain;

    @PostConstruct
    void init() {
        retain = Math.max(2, config.upload().partsInFlight() + 1);
        Gauge.builder("filehost.storage.part.buffers.pooled", this, PartBuffers::pooledBytes).baseUnit("bytes")
                .description("Part buffers kept for the next upload").register(registry);
    }

    private double pooledBytes() {
        synchronized (free) {
            return free.isEmpty() ? 0 : (double) free.size() * free.peek().length;
        }
    }

    /** A buffer of exactly {@code size} bytes (contents undefined). */
    public byte[] take(int size) {
        synchronized (free) {
            byte[] buffer = free.poll();
            if (buffer != null && buffer.length == size) {
                return buffer;
            }
            if (buffer != null) {
                free.clear(); // the part size changed: the old ones are of no use any more
            }
        }
        return new byte[size];
    }

    /** Returns a buffer nobody reads or writes any more (no part upload in flight from it). */
    public void give(byte[] buffer) {
        synchronized (free) {
            if (free.size() < retain && (free.isEmpty() || free.peek().length == buffer.length)) {
                free.push(buffer);
            }
        }
    }
}
