package io.filehost.fileservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Bytes in S3, shared by every file record pointing at them; rows are written with native SQL (upsert, refcount). */
@Entity
@Table(name = "stored_object")
public class StoredObject extends PanacheEntityBase {
    @Id
    public Long id;

    @Column(name = "tenant_id")
    public long tenantId;

    @Column(name = "object_key")
    public String objectKey;

    public long size;

    public String md5;

    public String sha256;

    @Column(name = "ref_count")
    public int refCount;
}
