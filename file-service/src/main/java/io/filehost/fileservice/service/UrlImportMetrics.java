package io.filehost.fileservice.service;

import io.filehost.fileservice.entity.UrlImportJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The URL imports' metrics: open jobs per status (a gauge across replicas) and finished jobs per outcome. */
@ApplicationScoped
public class UrlImportMetrics {
    @Inject
    EntityManager entityManager;

    @Inject
    MeterRegistry registry;

    /** Open jobs per status, refreshed by {@link #refreshOpenCounts()} (a gauge must not query on every scrape). */
    private final Map<String, AtomicLong> openJobs = new ConcurrentHashMap<>();

    @PostConstruct
    void registerMetrics() {
        for (String status : UrlImportJob.OPEN) {
            AtomicLong value = new AtomicLong();
            openJobs.put(status, value);
            Gauge.builder("filehost.url_imports.open", value,
                            AtomicLong::get)
                    .description("URL import jobs not finished yet, by status (all replicas; refreshed every 15 s)")
                    .tag("status", status).register(registry);
        }
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void refreshOpenCounts() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select status, count(*) from url_import_job where status in ('pending', 'downloading', 'processing') "
                        + "group by status").getResultList());
        openJobs.values().forEach(value -> value.set(0));
        for (Object[] row : rows) {
            AtomicLong value = openJobs.get((String) row[0]);
            if (value != null) {
                value.set(((Number) row[1]).longValue());
            }
        }
    }

    /** A job finished: {@code complete} or {@code failed}. */
    public void finished(String outcome) {
        registry.counter("filehost.url_imports.finished", "outcome", outcome).increment();
    }
}
