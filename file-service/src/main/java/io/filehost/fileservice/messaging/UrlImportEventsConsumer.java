package io.filehost.fileservice.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.fileservice.service.UrlImportEvents;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.messaging.ProcessedEvents;
import io.filehost.messaging.RetryTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code file.url-import.events} from import-worker: progress, completion, failure of a job. Idempotent (the event id
 * is recorded in the effect's transaction, and the job's state and attempt make a late or repeated event harmless).
 * Same failure strategy as {@link FolderEventsConsumer}: retry topic, then DLQ; unparseable straight to the DLQ.
 */
@ApplicationScoped
public class UrlImportEventsConsumer {
    public static final String CONSUMER = "file-service.url-import-events";
    private static final Logger LOG = Logger.getLogger(UrlImportEventsConsumer.class);

    @Inject
    ObjectMapper json;

    @Inject
    ProcessedEvents processed;

    @Inject
    FilesConfig config;

    @Inject
    UrlImportEvents imports;

    @Inject
    @Channel("url-import-events-dlq")
    Emitter<String> deadLetters;

    @Incoming("url-import-events")
    @Blocking
    public void onEvent(String payload) {
        handle(payload);
    }

    /** A record that failed once, handled again after {@code filehost.files.event-retry-delay} (RetryTopics). */
    @Incoming("url-import-events-retry")
    @Blocking(value = "url-import-events-retry-pool", ordered = true)
    public void onRetry(ConsumerRecord<String, String> record) throws InterruptedException {
        RetryTopics.awaitDue(record, config.eventRetryDelay());
        handle(record.value());
    }

    void handle(String payload) {
        UrlImportEvents.ImportEvent event = parse(payload);
        if (event == null) {
            LOG.warnf("Unparseable import event sent to the DLQ: %.200s", payload);
            deadLetters.send(payload == null ? "" : payload).toCompletableFuture().join();
            return;
        }
        List<String> release = QuarkusTransaction.requiringNew().call(() ->
                processed.firstDelivery(CONSUMER, event.eventId()) ? imports.apply(event) : List.<String>of());
        imports.deleteObjects(release);
    }

    private UrlImportEvents.ImportEvent parse(String payload) {
        try {
            UrlImportEvents.ImportEvent event = json.readerFor(UrlImportEvents.ImportEvent.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(payload);
            return event != null && event.isWellFormed() ? event : null;
        } catch (Exception e) {
            return null;
        }
    }
}
