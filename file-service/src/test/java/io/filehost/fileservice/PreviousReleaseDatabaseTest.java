package io.filehost.fileservice;

import io.filehost.common.testing.AbstractPreviousReleaseDatabaseTest;
import io.filehost.common.testing.PreviousReleaseSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;

/**
 * A files database migrated before the outbox/inbox libraries shipped their tables: V1__messaging_tables.sql (kept
 * byte for byte under test resources db/legacy, so its checksum is the one real databases recorded) plus V2..V4.
 */
@QuarkusTest
@TestProfile(PreviousReleaseDatabaseTest.PreviousRelease.class)
class PreviousReleaseDatabaseTest extends AbstractPreviousReleaseDatabaseTest {
    public static class PreviousRelease implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PreviousReleaseSchema.class, Map.of(
                    "url", "jdbc:postgresql://127.0.0.1:5432/files_test",
                    "schema", "previous_release",
                    "locations", "classpath:db/legacy,classpath:db/migration")));
        }
    }

    @Override
    protected String removedMigration() {
        return "messaging tables";
    }

    @Override
    protected List<String> libraryMigrations() {
        return List.of("outbox tables", "inbox tables");
    }

    @Override
    protected List<String> expectedTables() {
        return List.of("outbox_event", "processed_event", "file_record");
    }
}
