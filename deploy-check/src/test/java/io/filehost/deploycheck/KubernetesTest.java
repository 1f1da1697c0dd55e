package io.filehost.deploycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.filehost.deploycheck.Platform.ServiceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders every overlay of deploy/k8s with `kubectl kustomize` (offline: no cluster is contacted) and checks the
 * objects against the services' configuration. kubectl is required: without it these tests fail, never skip.
 */
class KubernetesTest {

    static final List<String> OVERLAYS = overlays();
    static final List<String> SERVICES = Platform.SERVICES;
    static final List<String> AUTOSCALED = List.of("gateway", "file-service", "import-worker");
    static final String NAME_LABEL = "app.kubernetes.io/name";

    /** Who may open a connection to each service (docs/internal-api.md); "ingress-controller" = from outside. */
    static final Map<String, Set<String>> ALLOWED_CALLERS = Map.of(
            "gateway", Set.of("ingress-controller"),
            "auth-service", Set.of("gateway", "file-service"),
            "file-service", Set.of("gateway", "folder-service"),
            "folder-service", Set.of("gateway", "file-service"),
            "import-worker", Set.of());

    static final List<String> PRIVATE_V4 = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
            "169.254.0.0/16", "127.0.0.0/8");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new HashMap<>();

    static List<String> overlays() {
        try (var dirs = Files.list(Platform.repo().resolve("deploy/k8s/overlays"))) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            if (!names.containsAll(List.of("dev", "prod"))) {
                throw new IllegalStateException("deploy/k8s/overlays must hold dev and prod, has " + names);
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String kubectl() {
        String configured = System.getProperty("fh.kubectl");
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            return configured;
        }
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/kubectl"))) {
            return "/usr/bin/kubectl";
        }
        fail("kubectl is required to render deploy/k8s (Debian: apt-get install kubectl; or -Dfh.kubectl=/path/to/kubectl). "
                + "These checks never skip.");
        return null;
    }

    /** `kubectl kustomize <overlay>`: a local render, no API server involved. */
    @SuppressWarnings("unchecked")
    static synchronized List<Map<String, Object>> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> {
            Path dir = Platform.repo().resolve("deploy/k8s/overlays").resolve(o);
            try {
                Path err = Files.createTempFile("kustomize", ".err");
                Process p = new ProcessBuilder(kubectl(), "kustomize", dir.toString())
                        .redirectError(err.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("kubectl kustomize " + dir + " timed out");
                }
                String stderr = Files.readString(err);
                Files.deleteIfExists(err);
                assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed: " + stderr);
                List<Map<String, Object>> objects = new ArrayList<>();
                for (Object doc : new Yaml().loadAll(out)) {
                    if (doc != null) {
                        objects.add((Map<String, Object>) doc);
                    }
                }
                assertFalse(objects.isEmpty(), "kubectl kustomize " + dir + " rendered nothing");
                return objects;
            } catch (IOException e) {
                throw new AssertionError("cannot run " + kubectl() + " (kubectl is required by these checks; -Dfh.kubectl=/path/to/kubectl): " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------- helpers
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return (T) cur;
    }

    static List<Map<String, Object>> ofKind(String overlay, String kind) {
        return render(overlay).stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Optional<Map<String, Object>> find(String overlay, String kind, String name) {
        return ofKind(overlay, kind).stream().filter(o -> name.equals(at(o, "metadata", "name"))).findFirst();
    }

    static Map<String, Object> get(String overlay, String kind, String name) {
        return find(overlay, kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    static Map<String, Object> container(String overlay, String service) {
        List<Map<String, Object>> containers = at(get(overlay, "Deployment", service), "spec", "template", "spec", "containers");
        assertNotNull(containers, overlay + ": " + service + " has no containers");
        return containers.stream().filter(c -> service.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": Deployment " + service + " has no container named " + service));
    }

    static Map<String, String> podLabels(String overlay, String service) {
        return at(get(overlay, "Deployment", service), "spec", "template", "metadata", "labels");
    }

    /** A probe's or Service's port (number or name) resolved against the container's ports. */
    static int resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer i) {
            return i;
        }
        List<Map<String, Object>> ports = at(container, "ports");
        return ports.stream().filter(p -> String.valueOf(port).equals(p.get("name"))).map(p -> (Integer) p.get("containerPort"))
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + port));
    }

    /** Environment of the container: explicit env, then every key of the ConfigMaps it takes with envFrom. */
    static Map<String, Map<String, Object>> environment(String overlay, String service) {
        Map<String, Object> c = container(overlay, service);
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        List<Map<String, Object>> from = at(c, "envFrom");
        if (from != null) {
            for (Map<String, Object> source : from) {
                String cm = at(source, "configMapRef", "name");
                assertNotNull(cm, overlay + ": " + service + " envFrom other than a ConfigMap: " + source);
                Map<String, Object> data = at(get(overlay, "ConfigMap", cm), "data");
                data.forEach((k, v) -> env.put(k, Map.of("value", v, "configMap", cm)));
            }
        }
        List<Map<String, Object>> explicit = at(c, "env");
        if (explicit != null) {
            explicit.forEach(e -> env.put(String.valueOf(e.get("name")), e));
        }
        return env;
    }

    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        Map<String, String> match = at(selector, "matchLabels");
        if (at(selector, "matchExpressions") != null) {
            throw new AssertionError("matchExpressions not supported by this check: " + selector);
        }
        return match == null || labels.entrySet().containsAll(match.entrySet());
    }

    // ------------------------------------------------------------------------------------------------------ tests
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceHasADeploymentWithProbesOnItsPortAndResources(String overlay) {
        for (String service : SERVICES) {
            ServiceConfig config = Platform.config(service);
            int port = config.httpPort();
            // /q/health and /q/metrics: the management port when quarkus.management.enabled, else quarkus.http.port.
            int healthPort = config.healthPort();
            Map<String, Object> c = container(overlay, service);
            List<Map<String, Object>> ports = at(c, "ports");
            for (int declared : new LinkedHashSet<>(List.of(port, healthPort))) {
                assertTrue(ports != null && ports.stream().anyMatch(p -> Integer.valueOf(declared).equals(p.get("containerPort"))),
                        overlay + ": " + service + " container does not declare port " + declared);
            }
            Map<String, String> probes = new LinkedHashMap<>(Map.of("readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live"));
            if (at(c, "startupProbe") != null) {
                probes.put("startupProbe", "/q/health/started");
            }
            probes.forEach((probe, path) -> {
                Map<String, Object> get = at(c, probe, "httpGet");
                assertNotNull(get, overlay + ": " + service + " has no HTTP " + probe);
                assertEquals(path, get.get("path"), overlay + ": " + service + " " + probe + " path");
                assertEquals(healthPort, resolvePort(c, get.get("port")), overlay + ": " + service + " " + probe + " port (health is served on "
                        + (config.managementEnabled() ? "quarkus.management.port" : "quarkus.http.port") + ")");
            });
            Object scrapePort = at(get(overlay, "Deployment", service), "spec", "template", "metadata", "annotations", "prometheus.io/port");
            if (scrapePort != null) {
                assertEquals(String.valueOf(healthPort), String.valueOf(scrapePort),
                        overlay + ": " + service + " prometheus.io/port must be where /q/metrics is served");
            }
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertNotNull(at(c, "resources", kind, resource), overlay + ": " + service + " has no " + kind + "." + resource);
                }
            }
            String memoryLimit = String.valueOf((Object) at(c, "resources", "limits", "memory"));
            Object javaOpts = at(environment(overlay, service).get("JAVA_OPTS"), "value");
            long heap = Platform.xmxMiB(javaOpts == null ? null : String.valueOf(javaOpts))
                    .orElseThrow(() -> new AssertionError(overlay + ": " + service + " JAVA_OPTS has no -Xmx"));
            assertTrue(heap * 4 <= Platform.memoryMiB(memoryLimit) * 3,
                    overlay + ": " + service + " -Xmx" + heap + "m does not fit its memory limit " + memoryLimit);
            assertEquals(Boolean.TRUE, at(get(overlay, "Deployment", service), "spec", "template", "spec", "securityContext", "runAsNonRoot"),
                    overlay + ": " + service + " must run as non-root");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceHasAServiceOnItsPort(String overlay) {
        for (String service : SERVICES) {
            Map<String, Object> svc = get(overlay, "Service", service);
            assertTrue(selects(Map.of("matchLabels", at(svc, "spec", "selector")), podLabels(overlay, service)),
                    overlay + ": Service " + service + " does not select its pods");
            List<Map<String, Object>> ports = at(svc, "spec", "ports");
            int port = Platform.config(service).httpPort();
            Map<String, Object> c = container(overlay, service);
            assertTrue(ports.stream().anyMatch(p -> Integer.valueOf(port).equals(p.get("port"))
                    && resolvePort(c, p.getOrDefault("targetPort", p.get("port"))) == port),
                    overlay + ": Service " + service + " must serve port " + port + " → the container's " + port);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void environmentSetsRealPropertiesOverridesLocalDefaultsAndTakesCredentialsFromSecrets(String overlay) {
        for (String service : SERVICES) {
            ServiceConfig config = Platform.config(service);
            Map<String, Map<String, Object>> env = environment(overlay, service);
            env.forEach((name, e) -> {
                if (config.propertyOfEnv(name).isEmpty() && !Platform.NON_PROPERTY_ENV.containsKey(name)) {
                    fail(overlay + ": " + service + " sets " + name + ", which matches no property of its application.properties");
                }
                Object value = e.get("value");
                if (value != null && (String.valueOf(value).contains("127.0.0.1") || String.valueOf(value).contains("localhost"))) {
                    fail(overlay + ": " + service + " " + name + "=" + value + " points at the pod itself");
                }
                if (ServiceConfig.isSecret(name) || name.equals("QUARKUS_DATASOURCE_USERNAME")) {
                    assertNotNull(at(e, "valueFrom", "secretKeyRef", "name"), overlay + ": " + service + " " + name + " must come from a Secret");
                }
            });
            for (String property : config.mustOverride()) {
                assertTrue(env.containsKey(Platform.envName(property)),
                        overlay + ": " + service + " keeps the local default of " + property + " (" + Platform.envName(property) + ")");
            }
            // Files the configuration names (JWT keys, spool directory) must lie on a mounted volume.
            List<Map<String, Object>> mounts = Objects.requireNonNullElse(at(container(overlay, service), "volumeMounts"), List.of());
            env.forEach((name, e) -> {
                Object value = e.get("value");
                if ((name.endsWith("_LOCATION") || name.endsWith("_DIR")) && value != null && String.valueOf(value).startsWith("/")) {
                    assertTrue(mounts.stream().anyMatch(m -> String.valueOf(value).startsWith(m.get("mountPath") + "/")
                            || String.valueOf(value).equals(m.get("mountPath"))),
                            overlay + ": " + service + " " + name + "=" + value + " is on no mounted volume");
                }
            });
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void noSecretIsRendered(String overlay) {
        for (Map<String, Object> o : render(overlay)) {
            if ("Secret".equals(o.get("kind"))) {
                fail(overlay + ": Secret " + at(o, "metadata", "name") + " is rendered; Secrets are created out of band (deploy/k8s/README.md)");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void autoscalersAndDisruptionBudgets(String overlay) {
        for (String service : AUTOSCALED) {
            Map<String, Object> hpa = ofKind(overlay, "HorizontalPodAutoscaler").stream()
                    .filter(h -> service.equals(at(h, "spec", "scaleTargetRef", "name"))
                            && "Deployment".equals(at(h, "spec", "scaleTargetRef", "kind")))
                    .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no HorizontalPodAutoscaler for " + service));
            Integer min = at(hpa, "spec", "minReplicas");
            Integer max = at(hpa, "spec", "maxReplicas");
            assertTrue(min != null && max != null && min >= 1 && max >= min, overlay + ": " + service + " HPA range " + min + ".." + max);
            assertNull(at(get(overlay, "Deployment", service), "spec", "replicas"),
                    overlay + ": " + service + " sets replicas although its HPA owns the count");
        }
        int partitions = Platform.topics().get("file.url-import.requested");
        Integer workers = ofKind(overlay, "HorizontalPodAutoscaler").stream()
                .filter(h -> "import-worker".equals(at(h, "spec", "scaleTargetRef", "name"))).findFirst()
                .map(h -> (Integer) at(h, "spec", "maxReplicas")).orElseThrow();
        assertTrue(workers <= partitions, overlay + ": more import-workers (" + workers + ") than partitions (" + partitions + ")");
        for (String service : SERVICES) {
            Map<String, String> labels = podLabels(overlay, service);
            assertTrue(ofKind(overlay, "PodDisruptionBudget").stream().anyMatch(p -> selects(at(p, "spec", "selector"), labels)),
                    overlay + ": no PodDisruptionBudget covers " + service);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingressLeadsToTheGatewaysPublicPortNeverToItsManagementPort(String overlay) {
        ServiceConfig gateway = Platform.config("gateway");
        List<Map<String, Object>> ingresses = ofKind(overlay, "Ingress");
        assertFalse(ingresses.isEmpty(), overlay + ": no Ingress");
        Map<String, Object> gatewayService = get(overlay, "Service", "gateway");
        List<Map<String, Object>> servicePorts = at(gatewayService, "spec", "ports");
        for (Map<String, Object> ingress : ingresses) {
            List<Map<String, Object>> rules = at(ingress, "spec", "rules");
            assertNotNull(rules, overlay + ": Ingress without rules");
            for (Map<String, Object> rule : rules) {
                List<Map<String, Object>> paths = at(rule, "http", "paths");
                for (Map<String, Object> path : paths) {
                    Map<String, Object> backend = at(path, "backend", "service");
                    assertEquals("gateway", backend.get("name"), overlay + ": Ingress leads to " + backend);
                    Object name = at(backend, "port", "name");
                    Object number = at(backend, "port", "number");
                    Map<String, Object> servicePort = servicePorts.stream().filter(p -> (name != null && name.equals(p.get("name")))
                            || (number != null && number.equals(p.get("port")))).findFirst()
                            .orElseThrow(() -> new AssertionError(overlay + ": Ingress port " + backend.get("port") + " is no port of Service gateway"));
                    // The container port the Ingress ends on: the public port, never the management interface.
                    int target = resolvePort(container(overlay, "gateway"), servicePort.getOrDefault("targetPort", servicePort.get("port")));
                    gateway.managementPort().ifPresent(management -> assertNotEquals(management, target,
                            overlay + ": the Ingress routes to the gateway's management port " + management + " (health, metrics)"));
                    assertEquals(gateway.httpPort(), target, overlay + ": the Ingress must lead to the gateway's quarkus.http.port");
                }
            }
        }
        // Nor may the ingress controller's NetworkPolicy open the management port.
        gateway.managementPort().ifPresent(management -> {
            Map<String, String> labels = podLabels(overlay, "gateway");
            for (Map<String, Object> policy : ofKind(overlay, "NetworkPolicy")) {
                if (!selects(at(policy, "spec", "podSelector"), labels)) {
                    continue;
                }
                for (Map<String, Object> rule : Objects.requireNonNullElse(at(policy, "spec", "ingress"), List.<Map<String, Object>>of())) {
                    List<Map<String, Object>> from = Objects.requireNonNullElse(at(rule, "from"), List.of());
                    boolean fromController = from.stream().anyMatch(peer -> {
                        String ns = at(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name");
                        return ns != null && ns.contains("ingress");
                    });
                    if (!fromController) {
                        continue;
                    }
                    List<Map<String, Object>> ports = at(rule, "ports");
                    assertTrue(ports != null && !ports.isEmpty(), overlay + ": " + at(policy, "metadata", "name")
                            + " opens every port of the gateway (the management port " + management + " too) to the ingress controller");
                    for (Map<String, Object> p : ports) {
                        assertNotEquals(management, resolvePort(container(overlay, "gateway"), p.get("port")),
                                overlay + ": " + at(policy, "metadata", "name") + " lets the ingress controller reach the management port");
                    }
                }
            }
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void serviceAddressesNameServicesOnTheirPortsAndStorkClientsAreNotOverridden(String overlay) {
        for (String service : SERVICES) {
            ServiceConfig config = Platform.config(service);
            Map<String, Map<String, Object>> env = environment(overlay, service);
            Map<String, String> targets = new LinkedHashMap<>(config.discovery());
            if (service.equals("gateway")) {
                targets.put("filehost.gateway.services.auth", "auth-service");
                targets.put("filehost.gateway.services.file", "file-service");
                targets.put("filehost.gateway.services.folder", "folder-service");
            }
            targets.forEach((property, target) -> {
                String var = Platform.envName(property);
                Object list = env.containsKey(var) ? env.get(var).get("value") : null;
                assertNotNull(list, overlay + ": " + service + " does not set " + var);
                for (String[] hostPort : Platform.addresses(String.valueOf(list))) {
                    // <service>, <service>.<namespace>, <service>.<namespace>.svc[.cluster.local]
                    String host = hostPort[0].split("\\.")[0];
                    assertEquals(target, host, overlay + ": " + service + " " + var + "=" + list + " must name the Service " + target);
                    Map<String, Object> svc = get(overlay, "Service", host);
                    List<Map<String, Object>> ports = at(svc, "spec", "ports");
                    int port = Integer.parseInt(hostPort[1]);
                    assertTrue(ports.stream().anyMatch(p -> Integer.valueOf(port).equals(p.get("port"))
                            && resolvePort(container(overlay, target), p.getOrDefault("targetPort", p.get("port"))) == Platform.config(target).httpPort()),
                            overlay + ": " + service + " " + var + "=" + list + ": Service " + target + " has no port " + port + " → its quarkus.http.port");
                }
            });
            for (String property : config.storkClientUrls()) {
                assertFalse(env.containsKey(Platform.envName(property)), overlay + ": " + service + " overrides " + Platform.envName(property)
                        + ", but " + property + "=" + config.prod().get(property) + " is resolved by Stork: set the "
                        + Platform.DISCOVERY_PREFIX + "* property instead");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingressPoliciesLetOnlyTheDocumentedCallersIn(String overlay) {
        List<Map<String, Object>> policies = ofKind(overlay, "NetworkPolicy");
        assertTrue(policies.stream().anyMatch(p -> Map.of().equals(at(p, "spec", "podSelector"))
                && ((List<?>) at(p, "spec", "policyTypes")).contains("Ingress")
                && (at(p, "spec", "ingress") == null || ((List<?>) at(p, "spec", "ingress")).isEmpty())),
                overlay + ": no default-deny ingress NetworkPolicy");
        for (String service : SERVICES) {
            Map<String, String> labels = podLabels(overlay, service);
            Set<String> callers = new LinkedHashSet<>();
            for (Map<String, Object> policy : policies) {
                if (!selects(at(policy, "spec", "podSelector"), labels)) {
                    continue;
                }
                List<Map<String, Object>> rules = Objects.requireNonNullElse(at(policy, "spec", "ingress"), List.of());
                for (Map<String, Object> rule : rules) {
                    List<Map<String, Object>> from = at(rule, "from");
                    if (from == null || from.isEmpty()) {
                        fail(overlay + ": " + at(policy, "metadata", "name") + " lets anyone reach " + service);
                    }
                    for (Map<String, Object> peer : from) {
                        String caller = caller(overlay, service, policy, peer);
                        if (caller.equals("monitoring")) {
                            // Prometheus (README "Network policies"): only the port /q/metrics is served on.
                            int healthPort = Platform.config(service).healthPort();
                            List<Map<String, Object>> ports = at(rule, "ports");
                            assertTrue(ports != null && !ports.isEmpty() && ports.stream()
                                    .allMatch(p -> resolvePort(container(overlay, service), p.get("port")) == healthPort),
                                    overlay + ": " + at(policy, "metadata", "name") + " may let the monitoring namespace reach "
                                            + service + " on its metrics port " + healthPort + " only, not " + ports);
                            continue;
                        }
                        callers.add(caller);
                    }
                }
            }
            assertEquals(ALLOWED_CALLERS.get(service), callers, overlay + ": who may call " + service);
        }
    }

    /**
     * Names a peer of an ingress rule: one of the services, the ingress controller's namespace, or the monitoring
     * namespace (Prometheus; the caller checks it is limited to the metrics port).
     */
    static String caller(String overlay, String service, Map<String, Object> policy, Map<String, Object> peer) {
        String where = overlay + ": " + at(policy, "metadata", "name") + " (" + service + ") peer " + peer;
        assertNull(peer.get("ipBlock"), where + ": no address ranges");
        Map<String, Object> ns = at(peer, "namespaceSelector");
        String app = at(peer, "podSelector", "matchLabels", NAME_LABEL);
        if (ns != null) {
            String namespace = at(ns, "matchLabels", "kubernetes.io/metadata.name");
            if (namespace != null && namespace.contains("monitoring")) {
                assertNotNull(app, where + ": name Prometheus' pods, not the whole monitoring namespace");
                return "monitoring";
            }
            assertTrue(namespace != null && namespace.contains("ingress"), where + ": only the ingress controller's namespace");
            assertNotNull(app, where + ": name the controller's pods, not the whole namespace");
            return "ingress-controller";
        }
        assertNotNull(app, where + ": a peer must name one service's pods");
        assertTrue(SERVICES.contains(app), where + ": unknown caller " + app);
        return app;
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void importWorkerReachesNeitherThePlatformDatabaseNorAnyService(String overlay) throws Exception {
        Map<String, String> labels = podLabels(overlay, "import-worker");
        List<Map<String, Object>> egressPolicies = ofKind(overlay, "NetworkPolicy").stream()
                .filter(p -> selects(at(p, "spec", "podSelector"), labels))
                .filter(p -> ((List<?>) at(p, "spec", "policyTypes")).contains("Egress")).toList();
        assertFalse(egressPolicies.isEmpty(), overlay + ": import-worker's egress is not restricted");

        // The PostgreSQL clusters the other services use (CloudNativePG: host <cluster>-rw[.namespace…]).
        Set<String> platformClusters = new LinkedHashSet<>();
        for (String service : SERVICES) {
            if (!service.equals("import-worker") && Platform.config(service).has("quarkus.datasource.jdbc.url")) {
                platformClusters.add(cluster(String.valueOf(environment(overlay, service).get("QUARKUS_DATASOURCE_JDBC_URL").get("value"))));
            }
        }
        String ownCluster = cluster(String.valueOf(environment(overlay, "import-worker").get("QUARKUS_DATASOURCE_JDBC_URL").get("value")));
        assertFalse(platformClusters.contains(ownCluster),
                overlay + ": import-worker's database must not live on the platform's PostgreSQL (" + ownCluster + ")");

        for (Map<String, Object> policy : egressPolicies) {
            List<Map<String, Object>> rules = Objects.requireNonNullElse(at(policy, "spec", "egress"), List.of());
            for (Map<String, Object> rule : rules) {
                List<Map<String, Object>> to = at(rule, "to");
                String where = overlay + ": " + at(policy, "metadata", "name");
                assertTrue(to != null && !to.isEmpty(), where + ": an egress rule without 'to' allows everything");
                for (Map<String, Object> peer : to) {
                    Map<String, Object> block = at(peer, "ipBlock");
                    if (block != null) {
                        checkPublicOnly(where, block);
                        continue;
                    }
                    Map<String, String> match = at(peer, "podSelector", "matchLabels");
                    assertTrue(match != null && !match.isEmpty(), where + ": peer " + peer + " selects every pod of a namespace");
                    String target = match.get(NAME_LABEL);
                    assertFalse(target != null && SERVICES.contains(target), where + ": egress to " + target);
                    assertFalse(platformClusters.contains(match.get("cnpg.io/cluster")),
                            where + ": egress to the platform's PostgreSQL " + match.get("cnpg.io/cluster"));
                    assertFalse(String.valueOf(target).contains("postgres"), where + ": egress to PostgreSQL pods " + match);
                    if (at(peer, "namespaceSelector") == null) {
                        fail(where + ": peer " + peer + " selects pods of the worker's own namespace, where the services run");
                    }
                }
            }
        }
    }

    static String cluster(String jdbcUrl) {
        Matcher m = Pattern.compile("^jdbc:postgresql://([a-z0-9\\-]+)").matcher(jdbcUrl);
        assertTrue(m.find(), "JDBC URL " + jdbcUrl);
        return m.group(1).replaceAll("-(rw|ro|r)$", "");
    }

    /** An address range the worker may reach must leave out every private, shared, link-local and loopback range. */
    static void checkPublicOnly(String where, Map<String, Object> block) throws Exception {
        String cidr = String.valueOf(block.get("cidr"));
        if (cidr.contains(":")) {
            return; // IPv6: checked by eye (ULA, link-local, loopback, IPv4-mapped are excepted in the base)
        }
        List<String> except = Objects.requireNonNullElse(at(block, "except"), List.of());
        for (String privateRange : PRIVATE_V4) {
            if (overlaps(cidr, privateRange)) {
                assertTrue(except.stream().anyMatch(e -> contains(e, privateRange)),
                        where + ": ipBlock " + cidr + " does not except " + privateRange);
            }
        }
    }

    static boolean overlaps(String a, String b) {
        return contains(a, b) || contains(b, a);
    }

    /** True when CIDR outer contains CIDR inner. */
    static boolean contains(String outer, String inner) {
        try {
            long[] o = range(outer);
            long[] i = range(inner);
            return o[0] <= i[0] && i[1] <= o[1];
        } catch (Exception e) {
            throw new AssertionError("bad CIDR " + outer + " / " + inner, e);
        }
    }

    static long[] range(String cidr) throws Exception {
        String[] f = cidr.split("/");
        byte[] b = InetAddress.getByName(f[0]).getAddress();
        long base = 0;
        for (byte x : b) {
            base = (base << 8) | (x & 0xff);
        }
        int bits = Integer.parseInt(f[1]);
        long size = 1L << (32 - bits);
        base &= ~(size - 1);
        return new long[] {base, base + size - 1};
    }
}
