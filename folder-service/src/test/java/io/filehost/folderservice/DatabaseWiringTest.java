package io.filehost.folderservice;

import io.filehost.common.testing.AbstractDatabaseWiringTest;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
class DatabaseWiringTest extends AbstractDatabaseWiringTest {
    @Override
    protected List<String> expectedTables() {
        return List.of("outbox_event", "folders");
    }
}
