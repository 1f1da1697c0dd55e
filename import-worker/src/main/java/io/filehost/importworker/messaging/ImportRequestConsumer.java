package io.filehost.importworker.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.importworker.config.ImportConfig;
import io.filehost.importworker.service.ImportProcessor;
import io.filehost.importworker.service.ImportRequest;
import io.filehost.messaging.RetryTopics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code file.url-import.requested} and its retry topic. A request that cannot be read goes straight to the DLQ (no
 * retry can fix it); an exception thrown by the processor is a transient failure of our own infrastructure and nacks
 * the message, which the channel's failure strategy forwards to the retry topic (from the retry channel: to the DLQ).
 * Downloads run on a bounded worker pool, never on the Kafka event loop.
 * <p>
 * Tracing: the connector extracts the record's {@code traceparent}/{@code tracestate} (written by file-service's
 * outbox relay) and makes its consumer span current for this method, on the worker pool too, so everything the import
 * does, including its {@code file.url-import.events} records, belongs to the trace of the client's
 * {@code url_upload_add}. Should that context ever be missing here (tracing switched off on the channel, a
 * connector change), the record's own headers are used, so the events never start an unrelated trace.
 */
@ApplicationScoped
public class ImportRequestConsumer {
    private static final Logger LOG = Logger.getLogger(ImportRequestConsumer.class);

    /** Reads the W3C trace headers of a record (the last one of a name wins, as in the connector). */
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> names = new ArrayList<>();
            for (Header header : headers) {
                names.add(header.key());
            }
            return names;
        }

        @Override
        public String get(Headers headers, String name) {
            Header header = headers == null ? null : headers.lastHeader(name);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    @Inject
    ImportProcessor processor;

    @Inject
    ImportConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    OpenTelemetry openTelemetry;

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
        RetryTopics.awaitDue(record, config.retryDelay());
        handle(record);
    }

    private void handle(ConsumerRecord<String, String> record) throws Exception {
        try (Scope ignored = requestTrace(record).makeCurrent()) {
            process(record);
        }
    }

    /** The consumer span the connector made current, or else the trace context the record carries. */
    private Context requestTrace(ConsumerRecord<String, String> record) {
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()) {
            return current;
        }
        return openTelemetry.getPropagators().getTextMapPropagator().extract(current, record.headers(), HEADERS);
    }

    private void process(ConsumerRecord<String, String> record) throws Exception {
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
