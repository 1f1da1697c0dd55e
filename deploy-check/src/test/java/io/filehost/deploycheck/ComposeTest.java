package io.filehost.deploycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.filehost.deploycheck.Platform.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.yaml.snakeyaml.Yaml;

/** deploy/compose against the services' application.properties and deploy/local/topics.txt. */
class ComposeTest {

    static final List<String> SERVICES = Platform.SERVICES;
    static final Path DIR = Platform.repo().resolve("deploy/compose");

    /**
     * Calls that need no start-up ordering, with the reason: compose cannot express a cycle, and both REST clients are
     * lazy (circuit breaker), so neither service needs the other to become ready.
     */
    static final Set<String> UNORDERED_CALLS = Set.of("file-service->folder-service", "folder-service->file-service");

    private static final Pattern URL_HOST = Pattern.compile("^(?:https?|jdbc:postgresql)://([A-Za-z0-9.\\-]+):(\\d+)");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*}");

    static Map<String, Object> compose(String file) {
        return new Yaml().load(Platform.read(DIR.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services(String file) {
        return (Map<String, Map<String, Object>>) compose(file).get("services");
    }

    static Map<String, Object> service(String name) {
        Map<String, Object> s = services("compose.yaml").get(name);
        assertNotNull(s, "compose.yaml has no service " + name);
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> dependsOn(Map<String, Object> service) {
        Object d = service.get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (d instanceof List<?> list) {
            list.forEach(n -> out.put(String.valueOf(n), "service_started"));
        } else if (d instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k),
                    v instanceof Map<?, ?> m && m.get("condition") != null ? String.valueOf(m.get("condition")) : "service_started"));
        }
        return out;
    }

    @Test
    void everyServiceIsThereAndBuiltFromItsModule() {
        Map<String, Map<String, Object>> services = services("compose.yaml");
        for (String name : SERVICES) {
            Map<String, Object> s = service(name);
            Map<?, ?> build = (Map<?, ?>) s.get("build");
            assertNotNull(build, name + ": no build section");
            Path context = DIR.resolve(String.valueOf(build.get("context"))).normalize();
            assertEquals(Platform.repo().resolve(name), context, name + ": build context must be its module");
            assertTrue(Files.isRegularFile(context.resolve(String.valueOf(build.get("dockerfile")))),
                    name + ": Dockerfile " + build.get("dockerfile") + " missing");
            assertTrue(String.valueOf(build.get("dockerfile")).endsWith("Dockerfile.jvm"), name + ": compose.yaml builds the JVM image");
        }
        for (String infra : List.of("postgres", "kafka", "minio", "topic-init")) {
            assertTrue(services.containsKey(infra), "compose.yaml has no " + infra);
        }
    }

    @Test
    void nativeOverrideBuildsEveryServiceFromItsNativeDockerfile() {
        Map<String, Map<String, Object>> services = services("compose.native.yaml");
        for (String name : SERVICES) {
            Map<String, Object> s = services.get(name);
            assertNotNull(s, "compose.native.yaml has no service " + name);
            Map<?, ?> build = (Map<?, ?>) s.get("build");
            Path context = DIR.resolve(String.valueOf(build.get("context"))).normalize();
            Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile")));
            assertEquals(Platform.repo().resolve(name + "/src/main/docker/Dockerfile.native"), dockerfile.normalize(), name);
            assertTrue(Files.isRegularFile(dockerfile), name + ": " + dockerfile + " missing");
            assertTrue(Files.isRegularFile(context.resolve("pom.xml")), name + ": the native build context must be the repository root");
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyVariableSetsARealPropertyOfTheService(String name) {
        ServiceConfig config = Platform.config(name);
        List<String> unknown = new ArrayList<>();
        for (String file : List.of("compose.yaml", "compose.native.yaml")) {
            Map<String, Object> s = services(file).get(name);
            for (String env : environment(s).keySet()) {
                if (config.propertyOfEnv(env).isEmpty() && !Platform.NON_PROPERTY_ENV.containsKey(env)) {
                    unknown.add(file + ": " + env);
                }
            }
        }
        assertTrue(unknown.isEmpty(), name + " sets variables that match no property of " + name
                + "/src/main/resources/application.properties (nor the allow-list): " + unknown);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyLocalDefaultIsOverridden(String name) {
        ServiceConfig config = Platform.config(name);
        Map<String, String> env = environment(service(name));
        List<String> missing = new ArrayList<>();
        for (String property : config.mustOverride()) {
            if (!env.containsKey(Platform.envName(property))) {
                missing.add(property + " (" + Platform.envName(property) + ")");
            }
        }
        assertTrue(missing.isEmpty(), name + " keeps local defaults that cannot work in a container: " + missing);
        env.forEach((k, v) -> {
            if (v != null && (v.contains("127.0.0.1") || v.contains("localhost"))) {
                fail(name + ": " + k + "=" + v + " points at the container itself");
            }
            if (ServiceConfig.isSecret(k) && v != null && !v.startsWith("${")) {
                fail(name + ": " + k + " is inline; take it from .env (${…})");
            }
        });
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    @SuppressWarnings("unchecked")
    void filesNamedBySecretsPathsAreMounted(String name) {
        Map<String, Object> s = service(name);
        Set<String> mounted = new TreeSet<>();
        Object secrets = s.get("secrets");
        if (secrets instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    mounted.add(String.valueOf(m.get("target") != null ? m.get("target") : m.get("source")));
                } else {
                    mounted.add(String.valueOf(item));
                }
            }
        }
        Map<String, Object> topLevel = (Map<String, Object>) compose("compose.yaml").get("secrets");
        environment(s).forEach((k, v) -> {
            if (v != null && v.startsWith("/run/secrets/")) {
                assertTrue(mounted.contains(v.substring("/run/secrets/".length())), name + ": " + k + "=" + v + " is not mounted");
            }
        });
        if (secrets instanceof List<?> list) {
            for (Object item : list) {
                String source = String.valueOf(item instanceof Map<?, ?> m ? m.get("source") : item);
                assertTrue(topLevel != null && topLevel.containsKey(source), name + ": secret " + source + " is not declared");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void dependsOnWhatItsConfigurationUses(String name) {
        ServiceConfig config = Platform.config(name);
        Map<String, Object> s = service(name);
        Map<String, String> deps = dependsOn(s);
        Map<String, String> required = new LinkedHashMap<>();
        if (config.has("quarkus.datasource.jdbc.url")) {
            required.put("postgres", "service_healthy");
        }
        if (config.has("kafka.bootstrap.servers")) {
            required.put("kafka", "service_healthy");
            required.put("topic-init", "service_completed_successfully");
        }
        if (config.has("quarkus.minio.host")) {
            required.put("minio", "service_healthy");
            required.put("minio-init", "service_completed_successfully");
        }
        // Every service another one calls (an address in its environment) must be ready first.
        Set<String> composeServices = services("compose.yaml").keySet();
        environment(s).forEach((k, v) -> {
            Matcher m = URL_HOST.matcher(v == null ? "" : v);
            if (m.find() && composeServices.contains(m.group(1)) && !UNORDERED_CALLS.contains(name + "->" + m.group(1))) {
                required.putIfAbsent(m.group(1), "service_healthy");
            }
        });
        if (name.equals("gateway")) {
            for (String routed : List.of("auth", "file", "folder")) {
                String property = "filehost.gateway.services." + routed;
                assertTrue(config.has(property), "gateway routes by " + property);
                String urls = environment(s).get(Platform.envName(property));
                assertNotNull(urls, "gateway: " + Platform.envName(property) + " not set");
                // A comma-separated list of URLs (replicas); each must be a compose service on its quarkus.http.port.
                for (String[] hostPort : Platform.addresses(urls)) {
                    assertEquals(routed + "-service", hostPort[0], "gateway: " + Platform.envName(property) + "=" + urls + " must name the compose service " + routed + "-service");
                    assertTrue(composeServices.contains(hostPort[0]), "gateway: " + urls + " names " + hostPort[0] + ", not a compose service");
                    assertEquals(String.valueOf(Platform.config(hostPort[0]).httpPort()), hostPort[1], "gateway: port of " + hostPort[0] + " in " + urls);
                    required.putIfAbsent(hostPort[0], "service_healthy");
                }
            }
        }
        // Static service discovery (Stork): filehost.discovery.<service> lists <service>'s replicas as host:port.
        config.discovery().forEach((property, target) -> {
            String list = environment(s).get(Platform.envName(property));
            assertNotNull(list, name + ": " + Platform.envName(property) + " not set (the local default names this machine)");
            for (String[] hostPort : Platform.addresses(list)) {
                assertEquals(target, hostPort[0], name + ": " + Platform.envName(property) + "=" + list + " must name the compose service " + target);
                assertEquals(String.valueOf(Platform.config(target).httpPort()), hostPort[1],
                        name + ": " + Platform.envName(property) + "=" + list + " port of " + target);
            }
            if (!UNORDERED_CALLS.contains(name + "->" + target)) {
                required.putIfAbsent(target, "service_healthy");
            }
        });
        required.forEach((dep, condition) -> assertEquals(condition, deps.get(dep),
                name + " must depend on " + dep + " with condition " + condition + " (has " + deps + ")"));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void storkClientsAreConfiguredByDiscoveryNotByUrl(String name) {
        ServiceConfig config = Platform.config(name);
        for (String file : List.of("compose.yaml", "compose.native.yaml")) {
            Map<String, String> env = environment(services(file).get(name));
            for (String property : config.storkClientUrls()) {
                assertFalse(env.containsKey(Platform.envName(property)), file + ": " + name + " overrides " + Platform.envName(property)
                        + ", but " + property + "=" + config.prod().get(property) + " is resolved by Stork: set the "
                        + Platform.DISCOVERY_PREFIX + "* property instead");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    @SuppressWarnings("unchecked")
    void portsMatchTheServiceAndOnlyTheGatewayPublishesOne(String name) {
        ServiceConfig config = Platform.config(name);
        int port = config.httpPort();
        int healthPort = config.healthPort();
        Map<String, Object> s = service(name);
        List<Object> ports = (List<Object>) s.get("ports");
        if (name.equals("gateway")) {
            assertNotNull(ports, "the gateway must publish its port");
            assertEquals(1, ports.size(), "the gateway publishes one port");
            String spec = String.valueOf(ports.get(0));
            config.managementPort().ifPresent(management -> assertFalse(spec.endsWith(":" + management)
                    || spec.endsWith(":" + management + "/tcp") || spec.equals(String.valueOf(management)),
                    "gateway publishes its management port " + management + " (health, metrics): " + spec));
            assertTrue(spec.endsWith(":" + port), "gateway publishes " + spec + ", but listens on " + port);
        } else {
            assertTrue(ports == null || ports.isEmpty(), name + " must not publish a port to the host");
            List<Object> expose = (List<Object>) s.get("expose");
            assertNotNull(expose, name + ": expose its port");
            assertEquals(List.of(String.valueOf(port)), expose.stream().map(String::valueOf).toList(), name + ": exposed port");
        }
        assertFalse(environment(s).containsKey("QUARKUS_HTTP_PORT"), name + ": keep quarkus.http.port as in its properties");
        assertFalse(environment(s).containsKey("QUARKUS_MANAGEMENT_PORT"), name + ": keep quarkus.management.port as in its properties");
        assertFalse(environment(s).containsKey("QUARKUS_MANAGEMENT_ENABLED"), name + ": keep quarkus.management.enabled as in its properties");
        Map<?, ?> health = (Map<?, ?>) s.get("healthcheck");
        assertNotNull(health, name + ": no healthcheck");
        String test = String.valueOf(health.get("test"));
        // /q/health is on the management port when quarkus.management.enabled, else on quarkus.http.port.
        assertTrue(test.contains("localhost:" + healthPort + "/q/health/ready"), name + ": health check must call /q/health/ready on "
                + healthPort + (config.managementEnabled() ? " (quarkus.management.port)" : " (quarkus.http.port)") + ": " + test);
    }

    @Test
    void onlyTheGatewayPublishesAPort() {
        services("compose.yaml").forEach((name, s) -> {
            if (!name.equals("gateway")) {
                assertTrue(s.get("ports") == null, name + " publishes a port; only the gateway may");
            }
        });
        services("compose.native.yaml").forEach((name, s) -> assertTrue(s.get("ports") == null,
                "compose.native.yaml: " + name + " publishes a port"));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void heapFitsTheMemoryLimit(String name) {
        Map<String, Object> s = service(name);
        Object limit = s.get("mem_limit");
        assertNotNull(limit, name + ": no mem_limit");
        long heap = Platform.xmxMiB(environment(s).get("JAVA_OPTS")).orElseThrow(() -> new AssertionError(name + ": JAVA_OPTS without -Xmx"));
        long mem = Platform.memoryMiB(String.valueOf(limit));
        assertTrue(heap * 4 <= mem * 3, name + ": -Xmx" + heap + "m leaves too little of mem_limit " + limit + " for the rest of the JVM");
        String nativeOpts = environment(services("compose.native.yaml").get(name)).get("NATIVE_OPTS");
        assertEquals(heap, Platform.xmxMiB(nativeOpts).orElse(-1L), name + ": the native variant's heap");
    }

    /** TOPICS of the topic-init job, name → partitions. */
    static Map<String, Integer> createdTopics() {
        Map<String, Object> init = service("topic-init");
        String topics = environment(init).get("TOPICS");
        assertNotNull(topics, "topic-init: no TOPICS");
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String spec : topics.trim().split("\\s+")) {
            String[] f = spec.split(":");
            assertEquals(2, f.length, "topic-init: " + spec + " is not name:partitions");
            out.put(f[0], Integer.parseInt(f[1]));
        }
        return out;
    }

    @Test
    void topicInitCreatesExactlyTheNonTestTopicsOfTopicsTxt() {
        assertEquals(Platform.topics(), createdTopics(), "topic-init's TOPICS and deploy/local/topics.txt (without test.*) differ");
        Map<String, String> deps = dependsOn(service("topic-init"));
        assertEquals("service_healthy", deps.get("kafka"), "topic-init must wait for a healthy kafka");
        assertTrue(Files.isRegularFile(DIR.resolve("kafka/create-topics.sh")));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyTopicAServiceUsesIsCreated(String name) {
        Set<String> created = createdTopics().keySet();
        Set<String> missing = new LinkedHashSet<>(Platform.config(name).topics());
        missing.removeAll(created);
        assertTrue(missing.isEmpty(), name + " uses topics topic-init does not create: " + missing);
    }

    @Test
    void everyInterpolatedVariableIsInEnvExampleOrHasADefault() {
        Set<String> documented = new TreeSet<>();
        for (String line : Platform.read(DIR.resolve(".env.example")).split("\n")) {
            Matcher m = Pattern.compile("^#?\\s*([A-Z_][A-Z0-9_]*)=").matcher(line.strip());
            if (m.find()) {
                documented.add(m.group(1));
            }
        }
        List<String> undocumented = new ArrayList<>();
        for (String file : List.of("compose.yaml", "compose.native.yaml")) {
            Matcher m = INTERPOLATION.matcher(Platform.read(DIR.resolve(file)));
            while (m.find()) {
                boolean hasDefault = m.group(2) != null && m.group(2).endsWith("-");
                if (!hasDefault && !documented.contains(m.group(1))) {
                    undocumented.add(file + ": " + m.group(1));
                }
            }
        }
        assertTrue(undocumented.isEmpty(), "variables compose needs but .env.example does not list: " + undocumented);
        assertTrue(Platform.read(DIR.resolve(".gitignore")).lines().anyMatch(".env"::equals), "deploy/compose/.env must be git-ignored");
    }

    @Test
    @SuppressWarnings("unchecked")
    void postgresCreatesOneDatabaseAndRolePerService() {
        String init = Platform.read(DIR.resolve("postgres/init-databases.sh"));
        for (String name : SERVICES) {
            ServiceConfig config = Platform.config(name);
            if (!config.has("quarkus.datasource.jdbc.url")) {
                continue;
            }
            Map<String, String> env = environment(service(name));
            String url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
            Matcher m = Pattern.compile("^jdbc:postgresql://postgres:5432/([a-z_]+)$").matcher(url);
            assertTrue(m.matches(), name + ": JDBC URL " + url);
            String db = m.group(1);
            assertEquals(config.prod().get("quarkus.datasource.jdbc.url").replaceAll(".*/", ""), db,
                    name + ": the same database name as locally");
            String role = env.get("QUARKUS_DATASOURCE_USERNAME");
            assertTrue(Pattern.compile("create_database " + role + " \"\\$[A-Z_]+\" " + db + "\\b").matcher(init).find(),
                    "postgres/init-databases.sh does not create role " + role + " with database " + db);
        }
        List<String> volumes = (List<String>) service("postgres").get("volumes");
        assertTrue(volumes.stream().anyMatch(v -> v.contains("/docker-entrypoint-initdb.d/")), "postgres: init script not mounted");
    }
}
