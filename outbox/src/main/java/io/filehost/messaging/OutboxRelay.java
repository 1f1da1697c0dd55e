package io.filehost.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.filehost.common.failure.FailureLog;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.LockOptions;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka, oldest first, and marks them. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}
 * and marked in the same transaction after Kafka acknowledged them, so replicas never publish a row twice in the
 * normal case and a crash at worst publishes it again (consumers are idempotent). While Kafka is down the rows wait
 * and the relay retries on every poll.
 * <p>
 * A plain KafkaProducer rather than a SmallRye Emitter: the topic is a column of the row and the row may only be
 * marked once the broker acknowledged it, which is a synchronous send per batch.
 * <p>
 * Metrics (when the service has Micrometer), tagged {@code service} = {@code quarkus.application.name}:
 * {@code outbox.backlog} (gauge: unpublished rows, as counted after the last drain — never queried per scrape) and
 * {@code outbox.published} (counter of rows published, also tagged {@code topic}).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper json;

    @Inject
    FailureLog failures;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "filehost.outbox.retention", defaultValue = "P1D")
    Duration retention;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "unknown")
    String serviceName;

    @Inject
    Instance<MeterRegistry> registries;

    /** Unpublished rows as last seen by this relay; -1 until the first drain. */
    private final AtomicLong backlog = new AtomicLong(-1);
    private final Map<String, Counter> publishedByTopic = new ConcurrentHashMap<>();
    private MeterRegistry registry;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile KafkaProducer<String, String> producer;
    private volatile boolean failing;

    @PostConstruct
    void registerMetrics() {
        // Created only where the relay runs (a service whose scheduler is off never instantiates it).
        if (registries.isResolvable()) {
            registry = registries.get();
            Gauge.builder("outbox.backlog", backlog, b -> b.get() < 0 ? Double.NaN : b.get())
                    .description("Outbox rows not yet published to Kafka, counted after the relay's last drain")
                    .tag("service", serviceName)
                    .register(registry);
        }
    }

    /** Asks for a drain soon; many wakes while one is pending collapse into one. */
    public void wake() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    scheduled.set(false);
                    drain();
                });
            } catch (RejectedExecutionException shuttingDown) {
                // The service is stopping: what is not published now waits in the outbox for the next start.
                scheduled.set(false);
            }
        }
    }

    @Scheduled(every = "${filehost.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purgePublished() {
        try {
            QuarkusTransaction.requiringNew().run(() -> entityManager
                    .createQuery("delete from OutboxEvent e where e.publishedAt < :before")
                    .setParameter("before", Instant.now().minus(retention)).executeUpdate());
        } catch (RuntimeException e) {
            // The next run purges what this one could not; a database outage is one WARN line, not a stack trace.
            failures.report(e, "outbox purge");
        }
    }

    /** Publishes until the outbox is empty or Kafka refuses; returns how many rows went out. */
    public int drain() {
        int total = 0;
        try {
            int published;
            do {
                published = QuarkusTransaction.requiringNew().call(this::publishBatch);
                total += published;
            } while (published == BATCH);
            if (failing) {
                LOG.info("Outbox relay is publishing again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("Outbox relay cannot publish (%s); events wait in the outbox and are retried",
                        e.getMessage());
                failing = true;
            }
        }
        updateBacklog();
        return total;
    }

    /** Unpublished rows as counted after the last drain (-1 before the first one or when the count failed). */
    public long backlog() {
        return backlog.get();
    }

    /**
     * Once per drain (every poll, so about once a second), never per scrape. The services' migrations index the
     * unpublished rows ({@code outbox_event_unpublished ... WHERE published_at IS NULL}), so this count reads only
     * the backlog itself, which is empty in the normal case.
     */
    private void updateBacklog() {
        try {
            Number count = QuarkusTransaction.requiringNew().call(() -> (Number) entityManager
                    .createNativeQuery("select count(*) from outbox_event where published_at is null")
                    .getSingleResult());
            backlog.set(count.longValue());
        } catch (RuntimeException e) {
            // The database is unreachable: the drain has logged the trouble already; the gauge says "unknown".
            backlog.set(-1);
        }
    }

    private void countPublished(List<OutboxEvent> events) {
        if (registry == null) {
            return;
        }
        for (OutboxEvent event : events) {
            publishedByTopic.computeIfAbsent(event.topic, topic -> Counter.builder("outbox.published")
                    .description("Outbox rows published to Kafka (acknowledged by the broker)")
                    .tag("service", serviceName)
                    .tag("topic", topic)
                    .register(registry)).increment();
        }
    }

    private int publishBatch() throws Exception {
        List<OutboxEvent> events = entityManager
                .createQuery("from OutboxEvent e where e.publishedAt is null order by e.id", OutboxEvent.class)
                .setMaxResults(BATCH)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .getResultList();
        if (events.isEmpty()) {
            return 0;
        }
        KafkaProducer<String, String> kafka = producer();
        List<Future<?>> acks = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            ProducerRecord<String, String> record = new ProducerRecord<>(event.topic, event.eventKey, event.payload);
            record.headers().add("outbox-id", Long.toString(event.id).getBytes(StandardCharsets.UTF_8));
            if (event.headers != null) {
                Map<String, String> trace = json.readValue(event.headers, new TypeReference<Map<String, String>>() {
                });
                trace.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            }
            acks.add(kafka.send(record));
        }
        for (Future<?> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
        Instant now = Instant.now();
        for (OutboxEvent event : events) {
            event.publishedAt = now;
        }
        // Counted once the broker acknowledged them; a commit failure after this would publish them again
        // (at-least-once), and they would then be counted again, as they were indeed sent again.
        countPublished(events);
        return events.size();
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> config = new HashMap<>();
                    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
                    config.put(ProducerConfig.ACKS_CONFIG, "all");
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    // Fail a batch within seconds when the broker is gone, so the transaction (and its row locks)
                    // does not stay open; the rows are simply retried on the next poll.
                    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
                    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
                    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
                    config.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
                    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
                }
                current = producer;
            }
        }
        return current;
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
