package io.filehost.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import org.flywaydb.core.Flyway;

import java.util.List;
import java.util.Map;

/**
 * A database as an earlier release left it, for proving that a service still starts on it: before Quarkus starts,
 * schema {@code schema} of {@code url} is emptied and migrated with exactly the former release's migrations
 * ({@code locations}, e.g. a removed migration kept under test resources plus the service's current versioned ones),
 * then the service's own Flyway configuration (locations, ignore patterns) runs against it at start, without clean.
 * Init args: {@code url} (JDBC URL without parameters), {@code schema}, {@code locations} (comma-separated).
 */
public class PreviousReleaseSchema implements QuarkusTestResourceLifecycleManager {
    /** A test profile on schema {@code previous_release} of a local test database. */
    public abstract static class Profile implements QuarkusTestProfile {
        private final String database;
        private final String locations;

        protected Profile(String database, String locations) {
            this.database = database;
            this.locations = locations;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PreviousReleaseSchema.class, Map.of(
                    "url", "jdbc:postgresql://127.0.0.1:5432/" + database,
                    "schema", "previous_release",
                    "locations", locations)));
        }
    }

    private String url;
    private String schema;
    private String[] locations;

    @Override
    public void init(Map<String, String> initArgs) {
        url = initArgs.get("url");
        schema = initArgs.get("schema");
        locations = initArgs.get("locations").split(",");
    }

    @Override
    public Map<String, String> start() {
        Flyway previous = Flyway.configure(PreviousReleaseSchema.class.getClassLoader())
                .dataSource(url, "filehost", "filehost")
                .schemas(schema)
                .locations(locations)
                .cleanDisabled(false)
                .load();
        previous.clean();
        previous.migrate();
        return Map.of(
                "quarkus.datasource.jdbc.url", url + "?currentSchema=" + schema,
                "quarkus.flyway.schemas", schema,
                "quarkus.flyway.clean-at-start", "false");
    }

    @Override
    public void stop() {
    }
}
