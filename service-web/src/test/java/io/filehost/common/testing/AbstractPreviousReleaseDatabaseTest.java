package io.filehost.common.testing;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service starts on a database migrated by the release before the outbox/inbox libraries shipped their tables
 * (prepared by {@link PreviousReleaseSchema}): the removed migration stays in the history and is tolerated, the
 * libraries' repeatable migrations ran over the existing tables, and the tables are there.
 */
public abstract class AbstractPreviousReleaseDatabaseTest {
    @Inject
    AgroalDataSource dataSource;

    private final String removedMigration;
    private final List<String> libraryMigrations;
    private final List<String> expectedTables;

    /**
     * @param removedMigration  description of the versioned migration the former release applied and the service no
     *                          longer ships
     * @param libraryMigrations descriptions of the libraries' repeatable migrations, e.g. "outbox tables"
     */
    protected AbstractPreviousReleaseDatabaseTest(String removedMigration, List<String> libraryMigrations,
                                                  List<String> expectedTables) {
        this.removedMigration = removedMigration;
        this.libraryMigrations = libraryMigrations;
        this.expectedTables = expectedTables;
    }

    @Test
    void startsOnADatabaseMigratedByThePreviousRelease() throws Exception {
        List<String> history = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select coalesce(version, 'R') || ' ' || description || ' ' "
                    + "|| success from flyway_schema_history where installed_rank > 0 order by installed_rank")) {
                while (rs.next()) {
                    history.add(rs.getString(1));
                }
            }
            assertTrue(history.contains("1 " + removedMigration + " true"), "former migration in " + history);
            for (String library : libraryMigrations) {
                assertTrue(history.contains("R " + library + " true"), library + " not applied: " + history);
            }
            for (String table : expectedTables) {
                try (ResultSet rs = statement.executeQuery("select count(*) from information_schema.tables "
                        + "where table_schema = current_schema() and table_name = '" + table + "'")) {
                    assertTrue(rs.next() && rs.getInt(1) == 1, "table " + table + " missing");
                }
            }
        }
    }
}
