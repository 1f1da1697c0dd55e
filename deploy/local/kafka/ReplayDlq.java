import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays a dead-letter topic: every record of {@code <topic>.dlq} not replayed before is written again to
 * {@code <topic>} (same key, value and headers, minus the failure strategy's {@code dead-letter-*} headers), where the
 * normal consumers handle it; they are idempotent (processed-event ids), so a record that did get through once is
 * harmless. Progress is the offset of the consumer group {@code dlq-replay} on the DLQ, committed only after the
 * copies are acknowledged: a replay that dies half-way resumes, and records dead-lettered later are replayed by the
 * next run. Stops at the DLQ's end as it was when the run started (a record that fails again and comes back is not
 * replayed in a loop). Fix the cause first (logs, docs/observability.md), then replay.
 *
 * Usage: java -cp 'kafka-tools-libs/*:classes' ReplayDlq bootstrap topic
 */
public final class ReplayDlq {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ReplayDlq <bootstrap-servers> <topic>   (replays <topic>.dlq into <topic>)");
            System.exit(2);
        }
        String bootstrap = args[0];
        String topic = args[1];
        String dlq = topic + ".dlq";
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-replay");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlq, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(dlq, p.partition())).collect(Collectors.toList());
            if (partitions.isEmpty()) {
                System.err.println("no topic " + dlq);
                System.exit(1);
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long replayed = 0;
            while (!done(consumer, end)) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, record.key(), record.value());
                    for (Header header : record.headers()) {
                        if (!header.key().startsWith("dead-letter-")) {
                            copy.headers().add(header);
                        }
                    }
                    copy.headers().add("dlq-replayed-from", (dlq + "-" + record.partition() + "@" + record.offset())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sent.add(producer.send(copy));
                    next.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
                for (Future<RecordMetadata> ack : sent) {
                    ack.get();
                }
                if (!next.isEmpty()) {
                    consumer.commitSync(next);
                }
                replayed += sent.size();
            }
            System.out.println("replayed " + replayed + " record(s) from " + dlq + " to " + topic);
        }
    }

    private static boolean done(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
