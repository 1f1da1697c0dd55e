package io.filehost.fileservice.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.common.events.FoldersTrashed;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.messaging.IdempotentConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code folder.events}: a trashed folder tree takes its files to trash. The plumbing (DLQ for unreadable records,
 * idempotency, retry topic after {@code filehost.files.event-retry-delay}, then DLQ) is {@link IdempotentConsumer}'s;
 * the topics are configured per channel. (SmallRye's {@code delayed-retry-topic} strategy derives the delay from a
 * {@code _<millis>} topic-name suffix, which the platform's {@code folder.events.retry} topic does not have.)
 */
@ApplicationScoped
public class FolderEventsConsumer extends IdempotentConsumer<FoldersTrashed, Void> {
    public static final String CONSUMER = "file-service.folder-events";
    private static final Logger LOG = Logger.getLogger(FolderEventsConsumer.class);

    public FolderEventsConsumer() {
        super(CONSUMER, FoldersTrashed::eventId);
    }

    @Inject
    ObjectMapper json;

    @Inject
    FilesConfig config;

    @Inject
    FileService files;

    @Inject
    @Channel("folder-events-dlq")
    Emitter<String> deadLetters;

    @Incoming("folder-events")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        return receive(message);
    }

    /** A record that failed once, handled again once it is {@code filehost.files.event-retry-delay} old. */
    @Incoming("folder-events-retry")
    @Blocking(value = "folder-events-retry-pool", ordered = true)
    public CompletionStage<Void> onRetry(Message<String> message) throws InterruptedException {
        return receiveRetry(message);
    }

    @Override
    protected Void apply(FoldersTrashed event) {
        List<Long> folderIds = event.folderIds().stream().map(Long::valueOf).toList();
        int trashed = files.trashFolders(Long.parseLong(event.tenantId()), Long.parseLong(event.accountId()),
                folderIds);
        LOG.debugf("Folder event %s trashed %d files", event.eventId(), trashed);
        return null;
    }

    @Override
    protected boolean concerns(FoldersTrashed event) {
        return FoldersTrashed.TYPE.equals(event.type());
    }

    @Override
    protected FoldersTrashed parse(String payload) {
        try {
            FoldersTrashed event = json.readValue(payload, FoldersTrashed.class);
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
