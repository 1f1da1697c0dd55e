package io.filehost.common.testing;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's own database is reached and its Flyway migrations have run (and only there do its tables exist). */
public abstract class AbstractDatabaseWiringTest {
    @Inject
    AgroalDataSource dataSource;

    protected abstract List<String> expectedTables();

    @Test
    void migrationsRanAndTheTablesExist() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    // type SQL: versioned and repeatable migrations (import-worker has only the inbox's repeatable one)
                    "select count(*) from flyway_schema_history where success and type = 'SQL'")) {
                assertTrue(rs.next() && rs.getInt(1) >= 1, "no successful Flyway migration recorded");
            }
            for (String table : expectedTables()) {
                try (ResultSet rs = statement.executeQuery(
                        "select count(*) from information_schema.tables where table_schema = current_schema() and table_name = '" + table + "'")) {
                    assertTrue(rs.next() && rs.getInt(1) == 1, "table " + table + " missing");
                }
            }
        }
    }
}
