package io.filehost.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates the test consumer's topics before Quarkus subscribes to them (the broker does not create them). */
public class KafkaTestTopics implements QuarkusTestResourceLifecycleManager {
    static final String EVENTS = "test.inbox.events";
    static final String DLQ = EVENTS + ".dlq";

    @Override
    public Map<String, String> start() {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:9092"))) {
            for (String topic : List.of(EVENTS, EVENTS + ".retry", DLQ)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + topic, e);
                    }
                }
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
