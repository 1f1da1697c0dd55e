package io.filehost.folderservice.service;

import io.filehost.common.internal.Account;
import io.filehost.common.api.ApiException;
import io.filehost.common.events.Topics;
import io.filehost.folderservice.entity.Folder;
import io.filehost.common.events.FoldersTrashed;
import io.filehost.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The transactional half of the folder service: every read and write of the folders table, never a remote call (so no
 * transaction is held open while file-service answers). Changes to the shape of an account's tree (create under a
 * parent, reparent, trash) are serialised per account with a transaction-scoped advisory lock: two concurrent moves
 * (A into B, B into A) would each pass the cycle check alone and together create a cycle.
 */
@ApplicationScoped
public class FolderStore {
    /** Active folders of one account below (and including) the roots chosen by {@code %s}; UNION stops on any cycle. */
    private static final String SUBTREES = """
            WITH RECURSIVE tree(root_id, id, parent_id) AS (
                SELECT f.id, f.id, f.parent_id FROM folders f
                 WHERE f.tenant_id = :tenant AND f.account_id = :account AND f.status = 'active' AND %s
                UNION
                SELECT tree.root_id, c.id, c.parent_id FROM folders c JOIN tree ON c.parent_id = tree.id
                 WHERE c.tenant_id = :tenant AND c.account_id = :account AND c.status = 'active'
            )
            SELECT root_id, id, parent_id FROM tree""";

    @Inject
    EntityManager entityManager;

    @Inject
    Outbox outbox;

    /** A folder and the ids of its active subtree, read together for the counters. */
    public record Subtree(FolderRow folder, Map<Long, List<Long>> subtreeIds, Map<Long, Integer> childCounts) {
    }

    /** The columns of one folder, detached. */
    public record FolderRow(long id, Long parentId, String folderName, int isPublic, String accessPassword,
                            Instant dateAdded, Instant dateUpdated) {
        static FolderRow of(Folder f) {
            return new FolderRow(f.id, f.parentId, f.folderName, f.isPublic, f.accessPassword, f.dateAdded,
                    f.dateUpdated);
        }
    }

    @Transactional
    public FolderRow create(Account owner, String name, Long parentId, int isPublic, String accessPassword) {
        if (parentId != null) {
            lockTree(owner);
            Folder.findActive(owner.tenantId(), owner.accountId(), parentId)
                    .orElseThrow(() -> ApiException.notFound(FolderMessages.PARENT_NOT_FOUND));
        }
        Folder folder = new Folder();
        folder.tenantId = owner.tenantId();
        folder.accountId = owner.accountId();
        folder.parentId = parentId;
        folder.folderName = name;
        folder.isPublic = (short) isPublic;
        folder.accessPassword = accessPassword;
        folder.status = Folder.ACTIVE;
        folder.dateAdded = Instant.now();
        folder.persist();
        return FolderRow.of(folder);
    }

    @Transactional
    public Optional<FolderRow> findActive(Account owner, long id) {
        return Folder.findActive(owner.tenantId(), owner.accountId(), id).map(FolderRow::of);
    }

    /** For the public folder page: any account of the tenant, but only a folder its owner made public. */
    @Transactional
    public Optional<FolderRow> findPublic(long tenantId, long id) {
        return Folder.<Folder>find("id = ?1 and tenantId = ?2 and status = ?3 and isPublic > 0", id, tenantId,
                Folder.ACTIVE).firstResultOptional().map(FolderRow::of);
    }

    /** One folder with its subtree, or empty when it is not the account's active folder. */
    @Transactional
    public Optional<Subtree> subtreeOf(Account owner, long id) {
        return Folder.findActive(owner.tenantId(), owner.accountId(), id).map(folder -> {
            List<Object[]> rows = subtreeRows(owner, "f.id = :root", Map.of("root", id));
            return new Subtree(FolderRow.of(folder), groupByRoot(rows), childCounts(rows));
        });
    }

    /** The listed level ({@code parentId} null = root) in name order, plus the subtree ids of each listed folder. */
    @Transactional
    public ListedLevel level(Account owner, Long parentId) {
        List<FolderRow> folders = Folder.activeChildren(owner.tenantId(), owner.accountId(), parentId).stream()
                .map(FolderRow::of).toList();
        if (folders.isEmpty()) {
            return new ListedLevel(folders, Map.of(), Map.of());
        }
        List<Object[]> rows = parentId == null
                ? subtreeRows(owner, "f.parent_id IS NULL", Map.of())
                : subtreeRows(owner, "f.parent_id = :parent", Map.of("parent", parentId));
        return new ListedLevel(folders, groupByRoot(rows), childCounts(rows));
    }

    public record ListedLevel(List<FolderRow> folders, Map<Long, List<Long>> subtreeIds,
                              Map<Long, Integer> childCounts) {
    }

    /**
     * Applies an edit. {@code newParent}: empty = keep, a value holding {@code null} = root. Returns the folder id.
     */
    @Transactional
    public long edit(Account owner, long id, String newName, Optional<Optional<Long>> newParent, Integer isPublic,
                     Optional<Optional<String>> accessPassword, String ontoItselfMessage, String destinationMessage) {
        if (newParent.isPresent()) {
            lockTree(owner);
        }
        Folder folder = Folder.findActive(owner.tenantId(), owner.accountId(), id)
                .orElseThrow(() -> ApiException.notFound(FolderMessages.NOT_FOUND));
        if (newParent.isPresent()) {
            Long destination = newParent.get().orElse(null);
            checkDestination(owner, folder.id, destination, ontoItselfMessage, destinationMessage);
            folder.parentId = destination;
        }
        if (newName != null) {
            folder.folderName = newName;
        }
        if (isPublic != null) {
            folder.isPublic = isPublic.shortValue();
        }
        accessPassword.ifPresent(password -> folder.accessPassword = password.orElse(null));
        folder.dateUpdated = Instant.now();
        return folder.id;
    }

    /**
     * Trashes the folder and every active descendant, detaches the top folder from its parent, and writes the
     * FOLDERS_TRASHED event to the outbox: all in this one transaction, so the event exists if and only if the trash
     * happened. Returns the event.
     */
    @Transactional
    public FoldersTrashed trash(Account owner, long id) {
        lockTree(owner);
        Folder.findActive(owner.tenantId(), owner.accountId(), id)
                .orElseThrow(() -> ApiException.notFound(FolderMessages.NOT_FOUND));
        List<Long> ids = subtreeRows(owner, "f.id = :root", Map.of("root", id)).stream()
                .map(row -> ((Number) row[1]).longValue()).sorted().toList();
        // The same walk again rather than "id IN (:ids)": a large tree would exceed PostgreSQL's bind-parameter
        // limit. Under the advisory lock the tree cannot change in between, so both walks see the same folders.
        entityManager.flush();
        entityManager.createNativeQuery("""
                        WITH RECURSIVE tree(id) AS (
                            SELECT f.id FROM folders f
                             WHERE f.tenant_id = :tenant AND f.account_id = :account AND f.status = 'active'
                               AND f.id = :top
                            UNION
                            SELECT c.id FROM folders c JOIN tree ON c.parent_id = tree.id
                             WHERE c.tenant_id = :tenant AND c.account_id = :account AND c.status = 'active'
                        )
                        UPDATE folders SET status = 'trash', date_updated = now(),
                               parent_id = CASE WHEN id = :top THEN NULL ELSE parent_id END
                         WHERE id IN (SELECT id FROM tree)""")
                .setParameter("top", id)
                .setParameter("tenant", owner.tenantId())
                .setParameter("account", owner.accountId())
                .executeUpdate();
        entityManager.clear();
        FoldersTrashed event = new FoldersTrashed(UUID.randomUUID().toString(), FoldersTrashed.TYPE,
                Long.toString(owner.tenantId()), Long.toString(owner.accountId()),
                ids.stream().map(String::valueOf).toList(), System.currentTimeMillis());
        outbox.publish(Topics.FOLDER_EVENTS, event.accountId(), event);
        return event;
    }

    private void checkDestination(Account owner, long folderId, Long destination, String ontoItselfMessage,
                                  String destinationMessage) {
        if (destination == null) {
            return;
        }
        if (destination == folderId) {
            throw ApiException.badRequest(ontoItselfMessage);
        }
        Folder.findActive(owner.tenantId(), owner.accountId(), destination)
                .orElseThrow(() -> ApiException.notFound(destinationMessage));
        Number hits = (Number) entityManager.createNativeQuery("""
                        WITH RECURSIVE up(id, parent_id) AS (
                            SELECT id, parent_id FROM folders
                             WHERE id = :destination AND tenant_id = :tenant AND account_id = :account
                            UNION
                            SELECT p.id, p.parent_id FROM folders p JOIN up ON p.id = up.parent_id
                             WHERE p.tenant_id = :tenant AND p.account_id = :account
                        )
                        SELECT count(*) FROM up WHERE id = :folder""")
                .setParameter("destination", destination)
                .setParameter("tenant", owner.tenantId())
                .setParameter("account", owner.accountId())
                .setParameter("folder", folderId)
                .getSingleResult();
        if (hits.longValue() > 0) {
            throw ApiException.badRequest(FolderMessages.INTO_OWN_DESCENDANT);
        }
    }

    private void lockTree(Account owner) {
        entityManager.createNativeQuery(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))) AS locked")
                .setParameter("key", "folders/" + owner.tenantId() + "/" + owner.accountId())
                .getSingleResult();
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> subtreeRows(Account owner, String rootCondition, Map<String, Object> parameters) {
        var query = entityManager.createNativeQuery(SUBTREES.formatted(rootCondition))
                .setParameter("tenant", owner.tenantId())
                .setParameter("account", owner.accountId());
        parameters.forEach(query::setParameter);
        return query.getResultList();
    }

    private static Map<Long, List<Long>> groupByRoot(List<Object[]> rows) {
        Map<Long, List<Long>> byRoot = new LinkedHashMap<>();
        for (Object[] row : rows) {
            byRoot.computeIfAbsent(((Number) row[0]).longValue(), k -> new ArrayList<>())
                    .add(((Number) row[1]).longValue());
        }
        return byRoot;
    }

    /** Direct active sub-folders of each root: the rows of its subtree whose parent is the root itself. */
    private static Map<Long, Integer> childCounts(List<Object[]> rows) {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        for (Object[] row : rows) {
            long root = ((Number) row[0]).longValue();
            long id = ((Number) row[1]).longValue();
            counts.putIfAbsent(root, 0);
            if (id != root && row[2] != null && ((Number) row[2]).longValue() == root) {
                counts.merge(root, 1, Integer::sum);
            }
        }
        return counts;
    }
}
