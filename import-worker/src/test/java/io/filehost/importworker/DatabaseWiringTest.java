package io.filehost.importworker;

import io.filehost.common.testing.AbstractDatabaseWiringTest;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
class DatabaseWiringTest extends AbstractDatabaseWiringTest {
    @Override
    protected List<String> expectedTables() {
        return List.of("processed_event");
    }
}
