import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Waits until the broker answers, then creates the missing topics listed in a file ("name partitions" per line,
 * '#' comments allowed) with replication factor 1. Does in one JVM what would otherwise take one TopicCommand JVM per
 * topic (~1-2 s each on this machine). Existing topics are left alone, even if their partition count differs.
 *
 * Usage: java -cp 'kafka-tools-libs/*:classes' EnsureTopics bootstrap topics-file timeout-seconds
 */
public final class EnsureTopics {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: EnsureTopics <bootstrap-servers> <topics-file> <timeout-seconds>");
            System.exit(2);
        }
        String bootstrap = args[0];
        Map<String, Integer> wanted = readTopics(Path.of(args[1]));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "filehost-ensure-topics");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");

        try (Admin admin = Admin.create(props)) {
            Set<String> existing = listTopics(admin, deadline);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) 1));
                }
            });
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                    System.out.println("created topic " + entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            System.out.println("topics ok: " + wanted.size() + " wanted, " + missing.size() + " created");
        }
    }

    private static Set<String> listTopics(Admin admin, long deadline) throws InterruptedException {
        while (true) {
            try {
                return admin.listTopics().names().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    System.err.println("broker did not answer in time: " + e);
                    System.exit(1);
                }
                Thread.sleep(Duration.ofMillis(300));
            }
        }
    }

    private static Map<String, Integer> readTopics(Path file) throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(file + ": expected 'name partitions', got: " + raw);
            }
            topics.put(parts[0], Integer.parseInt(parts[1]));
        }
        return topics;
    }
}
