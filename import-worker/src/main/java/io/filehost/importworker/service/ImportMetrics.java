package io.filehost.importworker.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicInteger;

/** Imports by outcome, bytes fetched, imports running now. */
@ApplicationScoped
public class ImportMetrics {
    private final AtomicInteger active = new AtomicInteger();
    private final MeterRegistry registry;
    private final Counter bytes;

    @Inject
    public ImportMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("filehost.imports.active", active, AtomicInteger::get).strongReference(true)
                .description("Imports running in this instance").register(registry);
        this.bytes = Counter.builder("filehost.import.bytes").baseUnit("bytes")
                .description("Bytes fetched from remote URLs").register(registry);
    }

    public void started() {
        active.incrementAndGet();
    }

    public void finished() {
        active.decrementAndGet();
    }

    public int active() {
        return active.get();
    }

    public void outcome(String outcome) {
        registry.counter("filehost.imports", "outcome", outcome).increment();
    }

    public void fetched(long n) {
        bytes.increment(n);
    }
}
