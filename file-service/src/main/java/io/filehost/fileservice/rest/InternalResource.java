package io.filehost.fileservice.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.Caller;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.service.FileViews;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What folder-service asks of file-service (docs/internal-api.md), always as the caller's account. */
@Path("/internal")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {
    private static final int MAX_IDS = 10_000;

    @Inject
    Caller caller;

    @Inject
    FileService files;

    @POST
    @Path("folder-stats")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode folderStats(JsonNode body) {
        JsonNode ids = body == null ? null : body.get("folderIds");
        if (ids == null || !ids.isArray() || ids.size() > MAX_IDS) {
            throw ApiException.badRequest("folderIds must be an array of at most " + MAX_IDS + " ids.");
        }
        List<Long> numeric = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        for (JsonNode id : ids) {
            asked.add(id.asText());
            Long parsed = ApiParams.parseId(id.asText());
            if (parsed != null) {
                numeric.add(parsed);
            }
        }
        Map<Long, long[]> stats = files.folderStats(caller.account(), numeric);
        ObjectNode out = Envelope.object();
        for (String id : asked) {
            Long parsed = ApiParams.parseId(id);
            long[] s = parsed == null ? new long[3] : stats.getOrDefault(parsed, new long[3]);
            ObjectNode entry = out.putObject(id);
            entry.put("size", s[0]);
            entry.put("files", s[1]);
            entry.put("downloads", s[2]);
        }
        return out;
    }

    @GET
    @Path("folder-files")
    public ObjectNode folderFiles(@QueryParam("folderId") String folderId) {
        Account account = caller.account();
        ObjectNode out = Envelope.object();
        ArrayNode list = out.putArray("files");
        Long id = null;
        if (folderId != null && !folderId.isBlank() && !folderId.equals("null")) {
            id = ApiParams.parseId(folderId.trim());
            if (id == null) {
                return out;
            }
        }
        for (FileRecord file : files.folderFiles(account, id)) {
            list.add(FileViews.listing(file, account.baseUrl(), caller.zone()));
        }
        return out;
    }
}
