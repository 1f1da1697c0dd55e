package io.filehost.fileservice.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.fileservice.service.UrlImportEvents;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.messaging.IdempotentConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code file.url-import.events} from import-worker: progress, completion, failure of a job. Idempotent (the event id
 * is recorded in the effect's transaction, and the job's state and attempt make a late or repeated event harmless).
 * Same plumbing as {@link FolderEventsConsumer} ({@link IdempotentConsumer}): retry topic, then DLQ; unparseable
 * straight to the DLQ.
 */
@ApplicationScoped
public class UrlImportEventsConsumer extends IdempotentConsumer<UrlImportEvents.ImportEvent, List<String>> {
    public static final String CONSUMER = "file-service.url-import-events";

    public UrlImportEventsConsumer() {
        super(CONSUMER, UrlImportEvents.ImportEvent::eventId);
    }

    @Inject
    ObjectMapper json;

    @Inject
    FilesConfig config;

    @Inject
    UrlImportEvents imports;

    @Inject
    @Channel("url-import-events-dlq")
    Emitter<String> deadLetters;

    @Incoming("url-import-events")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        return receive(message);
    }

    /** A record that failed once, handled again once it is {@code filehost.files.event-retry-delay} old. */
    @Incoming("url-import-events-retry")
    @Blocking(value = "url-import-events-retry-pool", ordered = true)
    public CompletionStage<Void> onRetry(Message<String> message) throws InterruptedException {
        return receiveRetry(message);
    }

    /** Returns the object keys the event released, deleted once the transaction committed. */
    @Override
    protected List<String> apply(UrlImportEvents.ImportEvent event) {
        return imports.apply(event);
    }

    @Override
    protected void afterCommit(List<String> released) {
        imports.deleteObjects(released);
    }

    @Override
    protected UrlImportEvents.ImportEvent parse(String payload) {
        try {
            UrlImportEvents.ImportEvent event = json.readerFor(UrlImportEvents.ImportEvent.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(payload);
            return event != null && event.isWellFormed() ? event : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    protected Emitter<String> deadLetters() {
        return deadLetters;
    }

    @Override
    protected Duration retryDelay() {
        return config.eventRetryDelay();
    }
}
