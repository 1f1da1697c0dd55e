package io.filehost.importworker;

import io.filehost.common.testing.AbstractReadinessTest;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
class ReadinessTest extends AbstractReadinessTest {
    @Override
    protected List<String> expectedChecks() {
        return List.of("Kafka connection health check", "s3", "Database connections health check");
    }
}
