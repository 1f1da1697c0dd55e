package io.filehost.folderservice.service;

import io.filehost.common.internal.Account;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiException;
import io.filehost.folderservice.client.FileClient;
import io.filehost.folderservice.client.FolderStat;
import io.filehost.common.events.FoldersTrashed;
import io.filehost.folderservice.service.FolderStore.FolderRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The /folder operations. Database work happens in {@link FolderStore}'s transactions; the counters come from
 * file-service afterwards, outside any transaction. A listing costs a bounded number of file-service calls whatever
 * the number of folders: one for the files of the level, one batched statistics call for every folder below it
 * (split only beyond file-service's per-call limit of ids).
 */
@ApplicationScoped
public class FolderService {
    @Inject
    FolderStore store;

    @Inject
    FileClient files;

    @ConfigProperty(name = "filehost.file-service.stats-batch-size", defaultValue = "10000")
    int statsBatchSize;

    /** The new folder holds nothing yet: its counters are zero without asking file-service. */
    public FolderView create(Account owner, String name, Long parentId, int isPublic, String accessPassword) {
        FolderRow row = store.create(owner, name, parentId, isPublic, accessPassword);
        return view(row, 0, FolderTotals.EMPTY);
    }

    public FolderView info(Account owner, long id) {
        FolderStore.Subtree subtree = store.subtreeOf(owner, id)
                .orElseThrow(() -> ApiException.notFound(FolderMessages.NOT_FOUND));
        List<Long> ids = subtree.subtreeIds().getOrDefault(id, List.of(id));
        Map<Long, FolderStat> stats = stats(ids);
        return view(subtree.folder(), subtree.childCounts().getOrDefault(id, 0), totals(id, ids, stats));
    }

    /** {@code parentId} null = the root level. */
    public FolderListing listing(Account owner, Long parentId) {
        if (parentId != null && store.findActive(owner, parentId).isEmpty()) {
            throw ApiException.notFound(FolderMessages.NOT_FOUND);
        }
        FolderStore.ListedLevel level = store.level(owner, parentId);
        Set<Long> everyFolderBelow = new HashSet<>();
        level.subtreeIds().values().forEach(everyFolderBelow::addAll);
        Map<Long, FolderStat> stats = everyFolderBelow.isEmpty() ? Map.of() : stats(everyFolderBelow);
        List<FolderView> folders = new ArrayList<>(level.folders().size());
        for (FolderRow row : level.folders()) {
            List<Long> subtree = level.subtreeIds().getOrDefault(row.id(), List.of(row.id()));
            folders.add(view(row, level.childCounts().getOrDefault(row.id(), 0), totals(row.id(), subtree, stats)));
        }
        List<ObjectNode> fileEntries;
        try {
            fileEntries = files.folderFiles(parentId);
        } catch (RuntimeException e) {
            throw FileClient.unavailable(e);
        }
        return new FolderListing(folders, fileEntries);
    }

    /**
     * {@code newParent}: empty = unchanged, holding empty = root. {@code accessPassword}: empty = unchanged, holding
     * empty = cleared.
     */
    public FolderView edit(Account owner, long id, String newName, Optional<Optional<Long>> newParent, Integer isPublic,
                           Optional<Optional<String>> accessPassword) {
        store.edit(owner, id, newName, newParent, isPublic, accessPassword, FolderMessages.EDIT_ONTO_ITSELF,
                FolderMessages.PARENT_NOT_FOUND);
        return info(owner, id);
    }

    /** {@code destination} null = root. */
    public FolderView move(Account owner, long id, Long destination) {
        store.edit(owner, id, null, Optional.of(Optional.ofNullable(destination)), null, Optional.empty(),
                FolderMessages.MOVE_ONTO_ITSELF, FolderMessages.MOVE_DESTINATION_NOT_FOUND);
        return info(owner, id);
    }

    public FoldersTrashed delete(Account owner, long id) {
        return store.trash(owner, id);
    }

    /**
     * One call per {@code statsBatchSize} folders (file-service accepts a bounded number of ids per call): a listing
     * costs one statistics call unless the listed folders hold more than that many folders between them.
     */
    private Map<Long, FolderStat> stats(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        Map<Long, FolderStat> stats = new HashMap<>();
        try {
            for (int from = 0; from < all.size(); from += statsBatchSize) {
                stats.putAll(files.folderStats(all.subList(from, Math.min(all.size(), from + statsBatchSize))));
            }
        } catch (RuntimeException e) {
            throw FileClient.unavailable(e);
        }
        return stats;
    }

    private static FolderTotals totals(long id, List<Long> subtree, Map<Long, FolderStat> stats) {
        long size = 0;
        for (Long folder : subtree) {
            FolderStat stat = stats.get(folder);
            if (stat != null) {
                size += stat.size();
            }
        }
        FolderStat own = stats.get(id);
        return new FolderTotals(size, own == null ? 0 : (int) own.files(), own == null ? 0 : (int) own.downloads());
    }

    private static FolderView view(FolderRow row, int childFolderCount, FolderTotals totals) {
        return new FolderView(row.id(), row.parentId(), row.folderName(), row.isPublic(), row.accessPassword(),
                row.dateAdded(), row.dateUpdated(), childFolderCount, totals);
    }
}
