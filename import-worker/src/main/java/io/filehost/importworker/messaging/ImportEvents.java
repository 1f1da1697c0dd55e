package io.filehost.importworker.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.importworker.service.ImportRequest;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * {@code file.url-import.events}, keyed by job id so one job's events stay in order on one partition. Progress is
 * sent without waiting; terminal events wait for the broker's acknowledgement (acks=all), because the job is recorded
 * as processed only afterwards.
 * <p>
 * Tracing: every event carries the trace context that is current where it is sent (the request's, see
 * {@link ImportRequestConsumer}) as {@link TracingMetadata}, so the connector's producer span, and the
 * {@code traceparent} it writes into the record, continue the request's trace whichever thread the sink sends on.
 */
@ApplicationScoped
public class ImportEvents {
    private static final Logger LOG = Logger.getLogger(ImportEvents.class);

    @Inject
    @Channel("url-import-events")
    MutinyEmitter<String> emitter;

    @Inject
    ObjectMapper json;

    public void downloading(ImportRequest request, Long totalBytes) {
        ObjectNode event = base(request, "DOWNLOADING");
        event.put("downloadedBytes", 0L);
        event.put("totalBytes", totalBytes);
        event.put("at", System.currentTimeMillis());
        sendQuietly(request, event);
    }

    public void progress(ImportRequest request, long downloaded, Long totalBytes) {
        ObjectNode event = base(request, "PROGRESS");
        event.put("downloadedBytes", downloaded);
        event.put("totalBytes", totalBytes);
        event.put("at", System.currentTimeMillis());
        sendQuietly(request, event);
    }

    /** Progress is informative: a full buffer or a broker hiccup must not fail the download itself. */
    private void sendQuietly(ImportRequest request, ObjectNode event) {
        try {
            emitter.sendMessageAndForget(record(request, event));
        } catch (RuntimeException e) {
            LOG.debugf("Progress event of job %s not sent: %s", request.jobId(), e.toString());
        }
    }

    public void completed(ImportRequest request, String objectKey, long size, String md5, String sha256,
                          String filename, String contentType) {
        ObjectNode event = base(request, "COMPLETED");
        event.put("objectKey", objectKey);
        event.put("size", size);
        event.put("md5", md5);
        event.put("sha256", sha256);
        event.put("filename", filename);
        event.put("contentType", contentType);
        event.put("at", System.currentTimeMillis());
        emitter.sendMessageAndAwait(record(request, event));
    }

    public void failed(ImportRequest request, String error) {
        ObjectNode event = base(request, "FAILED");
        event.put("error", error);
        event.put("at", System.currentTimeMillis());
        emitter.sendMessageAndAwait(record(request, event));
    }

    private static Message<String> record(ImportRequest request, ObjectNode event) {
        return KafkaRecord.of(request.jobId(), event.toString())
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
    }

    private ObjectNode base(ImportRequest request, String type) {
        ObjectNode event = json.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("jobId", request.jobId());
        event.put("attempt", request.attempt());
        event.put("type", type);
        return event;
    }
}
