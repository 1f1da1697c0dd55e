package io.filehost.folderservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.filehost.folderservice.support.Db;
import io.filehost.folderservice.support.FolderEventsTopic;
import io.filehost.folderservice.support.Gateway.As;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.filehost.folderservice.support.Gateway.call;
import static io.filehost.folderservice.support.Gateway.chain;
import static io.filehost.folderservice.support.Gateway.create;
import static io.filehost.folderservice.support.Gateway.error;
import static io.filehost.folderservice.support.Gateway.newAccount;
import static io.filehost.folderservice.support.Gateway.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** /folder/delete: recursive trash and the FOLDERS_TRASHED event, through the outbox to the real Kafka. */
@QuarkusTest
class FolderDeleteTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void deleteMessages() {
        As as = newAccount();
        error(as, 400, "Please provide the folder_id param.", "delete");
        error(as, 404, "Could not find folder based on folder_id.", "delete", "folder_id", "999999999999");
        error(as, 404, "Could not find folder based on folder_id.", "delete", "folder_id", "abc");
        String id = create(as, "once");
        ok(as, "delete", "folder_id", id);
        error(as, 404, "Could not find folder based on folder_id.", "delete", "folder_id", id);
    }

    @Test
    void aFiftyDeepTreeGoesToTrashInOneTransactionWithItsEventPublishedToKafka() throws Exception {
        As as = newAccount();
        String parent = create(as, "keep");
        List<String> levels = chain(as, parent, 50);
        String sibling = create(as, "sibling", "parent_id", levels.get(0));
        List<String> trashed = new ArrayList<>(levels);
        trashed.add(sibling);

        try (FolderEventsTopic topic = new FolderEventsTopic()) {
            Response response = call(as, "delete", "folder_id", levels.get(0));
            assertEquals(200, response.statusCode(), response.asString());
            assertEquals(List.of("response", "_status", "_datetime"),
                    FolderCreateInfoListingTest.keys(response.asString(), null));
            assertEquals("Folder successfully set as deleted.", response.jsonPath().get("response"));

            for (String id : trashed) {
                error(as, 404, "Could not find folder based on folder_id.", "info", "folder_id", id);
            }
            assertEquals(List.of(), ok(as, "listing", "parent_folder_id", parent).getList("data.folders"));
            assertEquals(0, (Integer) ok(as, "info", "folder_id", parent).get("data.child_folder_count"));
            List<Map<String, Object>> rows = Db.rows(dataSource,
                    "select id, parent_id, status from folders where account_id = ? and status = 'trash' order by id",
                    as.accountId());
            assertEquals(trashed.stream().map(Long::parseLong).sorted().toList(),
                    rows.stream().map(r -> ((Number) r.get("id")).longValue()).toList());
            Map<String, Object> top = rows.stream().filter(r -> r.get("id").toString().equals(levels.get(0)))
                    .findFirst().orElseThrow();
            assertNull(top.get("parent_id"), "the top folder leaves its parent");
            assertEquals(levels.get(0), rows.stream().filter(r -> r.get("id").toString().equals(levels.get(1)))
                    .findFirst().orElseThrow().get("parent_id").toString(), "descendants keep their structure");

            List<Map<String, Object>> outbox = Db.outbox(dataSource, as.accountId());
            assertEquals(1, outbox.size());
            assertEquals("folder.events", outbox.get(0).get("topic"));
            JsonNode event = JSON.readTree((String) outbox.get(0).get("payload"));
            assertEquals("FOLDERS_TRASHED", event.get("type").asText());
            assertEquals("1", event.get("tenantId").asText());
            assertEquals(Long.toString(as.accountId()), event.get("accountId").asText());
            List<String> eventFolders = new ArrayList<>();
            event.get("folderIds").forEach(id -> eventFolders.add(id.asText()));
            assertEquals(trashed.stream().map(Long::parseLong).sorted().map(String::valueOf).toList(), eventFolders);
            String eventId = event.get("eventId").asText();

            ConsumerRecord<String, String> record = topic.await(r -> r.value().contains(eventId),
                    Duration.ofSeconds(30));
            assertEquals(Long.toString(as.accountId()), record.key());
            JsonNode published = JSON.readTree(record.value());
            assertEquals(event, published);
            assertNotNull(record.headers().lastHeader("outbox-id"));
            assertEquals(outbox.get(0).get("id").toString(),
                    new String(record.headers().lastHeader("outbox-id").value(), StandardCharsets.UTF_8));
            assertNotNull(Db.outbox(dataSource, as.accountId()).get(0).get("published_at"));
        }
    }

    @Test
    void deletingAMiddleFolderKeepsItsAncestors() {
        As as = newAccount();
        List<String> levels = chain(as, null, 5);
        ok(as, "delete", "folder_id", levels.get(2));
        assertEquals(0, (Integer) ok(as, "info", "folder_id", levels.get(1)).get("data.child_folder_count"));
        error(as, 404, "Could not find folder based on folder_id.", "info", "folder_id", levels.get(4));
        assertEquals(List.of(levels.get(0)), ok(as, "listing").getList("data.folders.id"));
    }
}
