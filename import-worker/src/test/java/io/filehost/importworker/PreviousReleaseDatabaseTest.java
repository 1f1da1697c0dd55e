package io.filehost.importworker;

import io.filehost.common.testing.AbstractPreviousReleaseDatabaseTest;
import io.filehost.common.testing.PreviousReleaseSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;

/**
 * An imports database migrated before the inbox library shipped its table: V1__processed_event.sql (kept byte for
 * byte under test resources db/legacy, so its checksum is the one real databases recorded) was its only migration.
 */
@QuarkusTest
@TestProfile(PreviousReleaseDatabaseTest.PreviousRelease.class)
class PreviousReleaseDatabaseTest extends AbstractPreviousReleaseDatabaseTest {
    public static class PreviousRelease implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PreviousReleaseSchema.class, Map.of(
                    "url", "jdbc:postgresql://127.0.0.1:5432/imports_test",
                    "schema", "previous_release",
                    "locations", "classpath:db/legacy")));
        }
    }

    @Override
    protected String removedMigration() {
        return "processed event";
    }

    @Override
    protected List<String> libraryMigrations() {
        return List.of("inbox tables");
    }

    @Override
    protected List<String> expectedTables() {
        return List.of("processed_event");
    }
}
