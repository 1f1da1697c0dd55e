package io.filehost.fileservice;

import io.filehost.common.testing.AbstractPreviousReleaseDatabaseTest;
import io.filehost.common.testing.PreviousReleaseSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.List;

/**
 * A files database migrated before the outbox/inbox libraries shipped their tables: V1__messaging_tables.sql (kept
 * byte for byte under test resources db/legacy, so its checksum is the one real databases recorded) plus V2..V4.
 */
@QuarkusTest
@TestProfile(PreviousReleaseDatabaseTest.PreviousRelease.class)
class PreviousReleaseDatabaseTest extends AbstractPreviousReleaseDatabaseTest {
    public static class PreviousRelease extends PreviousReleaseSchema.Profile {
        public PreviousRelease() {
            super("files_test", "classpath:db/legacy,classpath:db/migration");
        }
    }

    PreviousReleaseDatabaseTest() {
        super("messaging tables", List.of("outbox tables", "inbox tables"),
                List.of("outbox_event", "processed_event", "file_record"));
    }
}
