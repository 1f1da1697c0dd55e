package io.filehost.fileservice.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.common.events.FoldersTrashed;
import io.filehost.fileservice.service.FileService;
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
 * {@code folder.events}: a trashed folder tree takes its files to trash. Idempotent (the event id is recorded in the
 * effect's transaction). Failure strategy, configured per channel: a failure on {@code folder.events} goes to
 * {@code folder.events.retry} (consumed by the second channel below), a failure there to {@code folder.events.dlq};
 * a message that cannot be parsed goes straight to the DLQ, since retrying cannot fix it.
 * (SmallRye's {@code delayed-retry-topic} strategy derives the delay from a {@code _<millis>} topic-name suffix,
 * which the platform's {@code folder.events.retry} topic does not have.)
 */
@ApplicationScoped
public class FolderEventsConsumer {
    public static final String CONSUMER = "file-service.folder-events";
    private static final Logger LOG = Logger.getLogger(FolderEventsConsumer.class);

    @Inject
    ObjectMapper json;

    @Inject
    ProcessedEvents processed;

    @Inject
    FilesConfig config;

    @Inject
    FileService files;

    @Inject
    @Channel("folder-events-dlq")
    Emitter<String> deadLetters;

    @Incoming("folder-events")
    @Blocking
    public void onEvent(String payload) {
        handle(payload);
    }

    /** A record that failed once, handled again after {@code filehost.files.event-retry-delay} (RetryTopics). */
    @Incoming("folder-events-retry")
    @Blocking(value = "folder-events-retry-pool", ordered = true)
    public void onRetry(ConsumerRecord<String, String> record) throws InterruptedException {
        RetryTopics.awaitDue(record, config.eventRetryDelay());
        handle(record.value());
    }

    void handle(String payload) {
        FoldersTrashed event = parse(payload);
        if (event == null) {
            LOG.warnf("Unparseable folder event sent to the DLQ: %.200s", payload);
            deadLetters.send(payload == null ? "" : payload).toCompletableFuture().join();
            return;
        }
        if (!FoldersTrashed.TYPE.equals(event.type())) {
            return;
        }
        long tenantId = Long.parseLong(event.tenantId());
        long accountId = Long.parseLong(event.accountId());
        List<Long> folderIds = event.folderIds().stream().map(Long::valueOf).toList();
        QuarkusTransaction.requiringNew().run(() -> {
            if (processed.firstDelivery(CONSUMER, event.eventId())) {
                int trashed = files.trashFolders(tenantId, accountId, folderIds);
                LOG.debugf("Folder event %s trashed %d files", event.eventId(), trashed);
            }
        });
    }

    private FoldersTrashed parse(String payload) {
        try {
            FoldersTrashed event = json.readValue(payload, FoldersTrashed.class);
            return event != null && event.isWellFormed() ? event : null;
        } catch (Exception e) {
            return null;
        }
    }
}
