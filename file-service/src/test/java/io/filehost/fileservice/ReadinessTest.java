package io.filehost.fileservice;

import io.filehost.common.testing.AbstractReadinessTest;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
class ReadinessTest extends AbstractReadinessTest {
    @Override
    protected List<String> wellnessChecks() {
        return List.of("kafka", "s3");
    }
}
