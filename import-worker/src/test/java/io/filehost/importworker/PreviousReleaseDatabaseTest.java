package io.filehost.importworker;

import io.filehost.common.testing.AbstractPreviousReleaseDatabaseTest;
import io.filehost.common.testing.PreviousReleaseSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.List;

/**
 * An imports database migrated before the inbox library shipped its table: V1__processed_event.sql (kept byte for
 * byte under test resources db/legacy, so its checksum is the one real databases recorded) was its only migration.
 */
@QuarkusTest
@TestProfile(PreviousReleaseDatabaseTest.PreviousRelease.class)
class PreviousReleaseDatabaseTest extends AbstractPreviousReleaseDatabaseTest {
    public static class PreviousRelease extends PreviousReleaseSchema.Profile {
        public PreviousRelease() {
            super("imports_test", "classpath:db/legacy");
        }
    }

    PreviousReleaseDatabaseTest() {
        super("processed event", List.of("inbox tables"), List.of("processed_event"));
    }
}
