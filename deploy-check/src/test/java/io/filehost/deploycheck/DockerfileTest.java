package io.filehost.deploycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Each service module's src/main/docker: a JVM image (the tested path) and a native one. */
class DockerfileTest {

    static final List<String> SERVICES = Platform.SERVICES;
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");

    static String dockerfile(String service, String variant) {
        Path file = Platform.repo().resolve(service).resolve("src/main/docker/Dockerfile." + variant);
        assertTrue(Files.isRegularFile(file), file + " missing");
        return Platform.read(file);
    }

    static void nonRootUser(String service, String text) {
        Matcher m = USER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertTrue(last != null, service + ": no USER");
        String uid = last.split(":")[0];
        assertTrue(uid.matches("[1-9][0-9]*"), service + ": USER must be a numeric non-root uid (runAsNonRoot), is " + last);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void jvmImage(String service) {
        String text = dockerfile(service, "jvm");
        Matcher from = FROM.matcher(text);
        assertTrue(from.find(), service + ": no FROM");
        assertTrue(from.group(1).startsWith("eclipse-temurin:21-jre") || from.group(1).startsWith("eclipse-temurin:25-jre")
                || from.group(1).contains("ubi9/openjdk-21-runtime"), service + ": JVM base image " + from.group(1));
        assertTrue(text.contains("COPY target/quarkus-app/"), service + ": copies the fast-jar from target/quarkus-app/");
        assertTrue(text.contains("quarkus-run.jar"), service + ": runs quarkus-run.jar");
        nonRootUser(service, text);
        long heap = Platform.xmxMiB(text).orElseThrow(() -> new AssertionError(service + ": no explicit -Xmx"));
        long expected = Platform.xmxMiB(String.valueOf(ComposeTest.environment(ComposeTest.service(service)).get("JAVA_OPTS"))).orElseThrow();
        assertEquals(expected, heap, service + ": the image's default heap differs from compose's");
        assertTrue(text.contains("EXPOSE " + Platform.config(service).httpPort()), service + ": EXPOSE its quarkus.http.port");
        assertTrue(Files.isRegularFile(Platform.repo().resolve(service).resolve("src/main/docker/Dockerfile.jvm.dockerignore")),
                service + ": Dockerfile.jvm.dockerignore keeps the context small");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void nativeImage(String service) {
        String text = dockerfile(service, "native");
        Matcher from = FROM.matcher(text);
        assertTrue(from.find() && from.group(1).equals("quay.io/quarkus/ubi-quarkus-mandrel-builder-image:jdk-21"),
                service + ": the builder stage must be the Mandrel builder image");
        assertTrue(from.find() && from.group(1).startsWith("registry.access.redhat.com/ubi9/ubi-minimal"),
                service + ": the runtime stage must be ubi-minimal");
        assertTrue(text.contains("-pl " + service + " -am"), service + ": builds its own module with its dependencies");
        assertTrue(text.contains("-Dquarkus.native.enabled=true") || text.contains("-Dnative"), service + ": native build flag");
        nonRootUser(service, text);
        assertTrue(Platform.xmxMiB(text).isPresent(), service + ": no explicit -Xmx for the native executable");
        String ignore = Platform.read(Platform.repo().resolve(service).resolve("src/main/docker/Dockerfile.native.dockerignore"));
        for (String excluded : List.of(".local/", ".git/", "**/target/")) {
            assertTrue(ignore.lines().anyMatch(excluded::equals), service + ": Dockerfile.native.dockerignore must exclude " + excluded);
        }
    }
}
