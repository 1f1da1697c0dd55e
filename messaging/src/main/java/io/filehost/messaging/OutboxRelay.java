package io.filehost.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows to Kafka, oldest first, and marks them. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}
 * and marked in the same transaction after Kafka acknowledged them, so replicas never publish a row twice in the
 * normal case and a crash at worst publishes it again (consumers are idempotent). While Kafka is down the rows wait
 * and the relay retries on every poll.
 * <p>
 * A plain KafkaProducer rather than a SmallRye Emitter: the topic is a column of the row and the row may only be
 * marked once the broker acknowledged it, which is a synchronous send per batch.
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
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "filehost.outbox.retention", defaultValue = "P1D")
    Duration retention;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile KafkaProducer<String, String> producer;
    private volatile boolean failing;

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

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgePublished() {
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createQuery("delete from OutboxEvent e where e.publishedAt < :before")
                .setParameter("before", Instant.now().minus(retention)).executeUpdate());
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
        return total;
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
