package io.filehost.folderservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A folder of one account. Every finder takes the tenant and the account: there is no way to load a folder by id
 * alone, so a forgotten owner filter cannot compile.
 */
@Entity
@Table(name = "folders")
public class Folder extends PanacheEntityBase {
    public static final String ACTIVE = "active";
    public static final String TRASH = "trash";

    @Id
    @SequenceGenerator(name = "folder_id", sequenceName = "folder_id_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "folder_id")
    public Long id;

    @Column(name = "tenant_id", nullable = false)
    public long tenantId;

    @Column(name = "account_id", nullable = false)
    public long accountId;

    @Column(name = "parent_id")
    public Long parentId;

    @Column(name = "folder_name", nullable = false, length = 255)
    public String folderName;

    @Column(name = "is_public", nullable = false)
    public short isPublic;

    @Column(name = "access_password", length = 32)
    public String accessPassword;

    @Column(nullable = false, length = 8)
    public String status;

    @Column(name = "date_added", nullable = false)
    public Instant dateAdded;

    @Column(name = "date_updated")
    public Instant dateUpdated;

    public static Optional<Folder> findActive(long tenantId, long accountId, long id) {
        return find("id = ?1 and tenantId = ?2 and accountId = ?3 and status = ?4", id, tenantId, accountId, ACTIVE)
                .firstResultOptional();
    }

    /** Active children of {@code parentId} ({@code null} = root), in the listing's name order. */
    public static List<Folder> activeChildren(long tenantId, long accountId, Long parentId) {
        String parent = parentId == null ? "parentId is null" : "parentId = ?4";
        return find("tenantId = ?1 and accountId = ?2 and status = ?3 and " + parent
                + " order by lower(folderName), folderName, id", parentArgs(tenantId, accountId, parentId)).list();
    }

    private static Object[] parentArgs(long tenantId, long accountId, Long parentId) {
        return parentId == null ? new Object[]{tenantId, accountId, ACTIVE}
                : new Object[]{tenantId, accountId, ACTIVE, parentId};
    }
}
