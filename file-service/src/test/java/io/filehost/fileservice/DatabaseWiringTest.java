package io.filehost.fileservice;

import io.filehost.common.testing.AbstractDatabaseWiringTest;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

@QuarkusTest
class DatabaseWiringTest extends AbstractDatabaseWiringTest {
    @Override
    protected List<String> expectedTables() {
        return List.of("outbox_event", "processed_event", "stored_object", "file_record", "account_usage",
                "upload_session", "download_token", "download_log");
    }
}
