package io.filehost.importworker.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.importworker.config.ImportConfig;
import io.filehost.importworker.service.ImportProcessor;
import io.filehost.importworker.service.ImportRequest;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * {@code file.url-import.requested} and its retry topic. A request that cannot be read goes straight to the DLQ (no
 * retry can fix it); an exception thrown by the processor is a transient failure of our own infrastructure and nacks
 * the message, which the channel's failure strategy forwards to the retry topic (from the retry channel: to the DLQ).
 * Downloads run on a bounded worker pool, never on the Kafka event loop.
 */
@ApplicationScoped
public class ImportRequestConsumer {
    private static final Logger LOG = Logger.getLogger(ImportRequestConsumer.class);

    @Inject
    ImportProcessor processor;

    @Inject
    ImportConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    @Channel("url-import-dlq")
    MutinyEmitter<String> deadLetters;

    @Incoming("url-import-requests")
    @Blocking(value = "url-import-pool", ordered = false)
    public void onRequest(ConsumerRecord<String, String> record) throws Exception {
        handle(record);
    }

    /** Retried requests wait for {@code retry-delay} after they were written to the retry topic. */
    @Incoming("url-import-retries")
    @Blocking(value = "url-import-retry-pool", ordered = true)
    public void onRetry(ConsumerRecord<String, String> record) throws Exception {
        long wait = record.timestamp() + config.retryDelay().toMillis() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        handle(record);
    }

    private void handle(ConsumerRecord<String, String> record) throws Exception {
        ImportRequest request;
        try {
            request = ImportRequest.parse(json, record.value());
        } catch (ImportRequest.Unparseable poison) {
            LOG.warnf("Unreadable import request %s-%d@%d (%s): sent to the DLQ", record.topic(), record.partition(),
                    record.offset(), poison.getMessage());
            deadLetters.sendMessageAndAwait(KafkaRecord.of(record.key(), record.value())
                    .withHeader("dead-letter-reason", poison.getMessage().getBytes(StandardCharsets.UTF_8))
                    .withHeader("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8)));
            return;
        }
        if (config.tenantFilter().isPresent() && !request.tenantId().matches(config.tenantFilter().get())) {
            return;
        }
        processor.process(request);
    }
}
