package io.filehost.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository as the deployment manifests must see it: the five services, their properties, the topics. */
final class Platform {

    static final List<String> SERVICES = List.of("auth-service", "gateway", "file-service", "folder-service", "import-worker");

    /**
     * Environment variables that are not Quarkus properties, with the reason they are allowed. Anything else a manifest
     * sets must map to a property of the service's application.properties.
     */
    static final Map<String, String> NON_PROPERTY_ENV = Map.of(
            "JAVA_OPTS", "JVM options, read by the JVM image's entrypoint (Dockerfile.jvm)",
            "NATIVE_OPTS", "runtime options of the native executable, read by Dockerfile.native's entrypoint");

    private static final Pattern ASSIGNMENT = Pattern.compile("^([%A-Za-z][A-Za-z0-9_.\\-\"%/]*)\\s*[=:]\\s*(.*)$");
    private static final Pattern COMMENTED_ASSIGNMENT = Pattern.compile("^#\\s*([a-z][a-z0-9\\-]*(?:\\.[a-z0-9\\-\"]+)+)=(.*)$");
    private static final Pattern TOPIC_DEFAULT =
            Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s*String\\s+\\w*[Tt]opic\\(\\)");
    static final String DISCOVERY_PREFIX = "filehost.discovery.";
    private static final Pattern HOST_PORT = Pattern.compile("^(?:https?://)?([A-Za-z0-9.\\-]+):(\\d+)/?$");
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG])");

    private Platform() {
    }

    static Path repo() {
        String configured = System.getProperty("fh.repo");
        Path root = configured == null || configured.isBlank() ? Path.of("..") : Path.of(configured);
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("deploy"))) {
            throw new IllegalStateException("not the repository root: " + root + " (set -Dfh.repo)");
        }
        return root;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Quarkus/MicroProfile environment variable name of a property: upper case, non-alphanumerics → '_'. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** A comma-separated address list ("host:port,host:port" or "http://host:port,…") → [host, port] pairs. */
    static List<String[]> addresses(String list) {
        List<String[]> out = new ArrayList<>();
        for (String item : (list == null ? "" : list).split(",")) {
            Matcher m = HOST_PORT.matcher(item.strip());
            if (!m.matches()) {
                throw new AssertionError("not host:port or http(s)://host:port: '" + item.strip() + "' in " + list);
            }
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    /** Heap of a JVM option line (-Xmx), in MiB. */
    static Optional<Long> xmxMiB(String options) {
        Matcher m = XMX.matcher(options == null ? "" : options);
        if (!m.find()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> n / 1024;
            case 'g' -> n * 1024;
            default -> n;
        });
    }

    /** A memory quantity (compose "512m", Kubernetes "512Mi", "1Gi", "536870912") in MiB. */
    static long memoryMiB(String quantity) {
        Matcher m = Pattern.compile("^(\\d+)([A-Za-z]*)$").matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: " + quantity);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> n / (1024 * 1024);
            case "k", "ki", "kb" -> n / 1024;
            case "m", "mi", "mb" -> n;
            case "g", "gi", "gb" -> n * 1024;
            default -> throw new IllegalArgumentException("unknown unit in " + quantity);
        };
    }

    /** Non-test topics of deploy/local/topics.txt, name → partitions, in file order. */
    static Map<String, Integer> topics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String line : read(repo().resolve("deploy/local/topics.txt")).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && !f[0].startsWith("#") && !f[0].startsWith("test.")) {
                topics.put(f[0], Integer.parseInt(f[1]));
            }
        }
        return topics;
    }

    static ServiceConfig config(String service) {
        return ServiceConfig.load(service, repo().resolve(service).resolve("src/main/resources/application.properties"));
    }

    /** One service's application.properties. */
    record ServiceConfig(String service, Map<String, String> prod, Set<String> known) {

        static ServiceConfig load(String service, Path file) {
            Map<String, String> prod = new LinkedHashMap<>();
            Set<String> known = new LinkedHashSet<>();
            for (String raw : read(file).split("\n")) {
                String line = raw.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#") || line.startsWith("!")) {
                    // A documented but commented-out setting ("# filehost.gateway.spool-dir=/var/tmp/…") is a property
                    // of the service too: setting it by environment is legitimate.
                    Matcher c = COMMENTED_ASSIGNMENT.matcher(line);
                    if (c.matches()) {
                        known.add(c.group(1));
                    }
                    continue;
                }
                Matcher m = ASSIGNMENT.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String key = m.group(1);
                if (key.startsWith("%")) {
                    // %test.x / %dev.x: x is a property of the service even if only a profile sets it.
                    known.add(key.substring(key.indexOf('.') + 1));
                } else {
                    known.add(key);
                    prod.put(key, m.group(2).strip());
                }
            }
            return new ServiceConfig(service, prod, known);
        }

        int httpPort() {
            return Integer.parseInt(prod.get("quarkus.http.port"));
        }

        /** quarkus.management.enabled: health and metrics on a port of their own (the management interface). */
        boolean managementEnabled() {
            return Boolean.parseBoolean(prod.getOrDefault("quarkus.management.enabled", "false").strip());
        }

        /** quarkus.management.port (Quarkus' default 9000), or empty when the management interface is off. */
        Optional<Integer> managementPort() {
            return managementEnabled()
                    ? Optional.of(Integer.parseInt(prod.getOrDefault("quarkus.management.port", "9000").strip()))
                    : Optional.empty();
        }

        /**
         * Where /q/health and /q/metrics are served: the management port when the management interface is enabled,
         * otherwise quarkus.http.port.
         */
        int healthPort() {
            return managementPort().orElseGet(this::httpPort);
        }

        /**
         * Static service discovery (Stork): filehost.discovery.&lt;service&gt; = host:port[,host:port…], the replicas of
         * the platform service named &lt;service&gt;. Returns those properties, property → target service.
         */
        Map<String, String> discovery() {
            Map<String, String> out = new LinkedHashMap<>();
            prod.keySet().stream().filter(k -> k.startsWith(DISCOVERY_PREFIX))
                    .forEach(k -> out.put(k, k.substring(DISCOVERY_PREFIX.length())));
            return out;
        }

        /**
         * REST client URL properties that go through Stork (stork://…): their address comes from the discovery
         * property, so a manifest must not override the URL itself (one way to configure a target).
         */
        List<String> storkClientUrls() {
            return prod.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("quarkus.rest-client.") && e.getKey().endsWith(".url")
                            && e.getValue().startsWith("stork://"))
                    .map(Map.Entry::getKey).toList();
        }

        boolean has(String property) {
            return prod.containsKey(property);
        }

        /** The property an environment variable sets, if any. */
        Optional<String> propertyOfEnv(String env) {
            return known.stream().filter(p -> envName(p).equals(env)).findFirst();
        }

        /**
         * Kafka topics the service reads or writes, including the dead-letter-queue (retry/DLQ) targets. A topic whose
         * name only lives in Java (a @ConfigMapping default) is not seen here.
         */
        Set<String> topics() {
            Set<String> topics = new LinkedHashSet<>();
            prod.forEach((k, v) -> {
                // mp.messaging.<in|out>.<channel>.topic, …dead-letter-queue.topic, and the service's own topic
                // settings (e.g. an outbox target such as filehost.files.url-import.requests-topic).
                if (k.endsWith(".topic") || k.endsWith("-topic")) {
                    topics.add(v);
                }
            });
            // Topic settings whose default lives in a @ConfigMapping: @WithDefault("x") String somethingTopic();
            Path sources = repo().resolve(service).resolve("src/main/java");
            try (var files = Files.walk(sources)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = TOPIC_DEFAULT.matcher(read(f));
                    while (m.find()) {
                        topics.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return topics;
        }

        /**
         * Properties whose local default cannot be right in a container: addresses on this machine, and credentials
         * (the local ones are public in the repository).
         */
        List<String> mustOverride() {
            List<String> out = new ArrayList<>();
            prod.forEach((k, v) -> {
                boolean local = v.contains("127.0.0.1") || v.contains("localhost");
                boolean credential = k.equals("quarkus.datasource.username") || k.equals("quarkus.datasource.password")
                        || k.equals("quarkus.minio.access-key") || k.equals("quarkus.minio.secret-key");
                if (local || credential) {
                    out.add(k);
                }
            });
            // The service keys of the token exchange (docs/internal-api.md): file-service cannot start without its key,
            // auth-service would refuse every exchange without the hash.
            for (String key : List.of("filehost.files.service-key", "filehost.auth.service-key-sha256")) {
                if (known.contains(key)) {
                    out.add(key);
                }
            }
            // auth-service signs and verifies with keys that only the deployment supplies (startup fails without).
            if (known.contains("smallrye.jwt.sign.key.location")) {
                out.add("smallrye.jwt.sign.key.location");
            }
            if (prod.containsKey("mp.jwt.verify.issuer") && !"false".equals(prod.get("quarkus.smallrye-jwt.enabled"))
                    && !out.contains("mp.jwt.verify.publickey.location")) {
                out.add("mp.jwt.verify.publickey.location");
            }
            return out;
        }

        /** Properties holding credentials: a manifest must take them from a secret, never inline. */
        static boolean isSecret(String env) {
            return env.endsWith("_PASSWORD") || env.endsWith("_SECRET_KEY") || env.endsWith("_ACCESS_KEY")
                    || env.equals("FILEHOST_AUTH_ADMIN_KEY_SHA256") || env.endsWith("_SERVICE_KEY")
                    || env.endsWith("_SERVICE_KEY_SHA256");
        }
    }
}
