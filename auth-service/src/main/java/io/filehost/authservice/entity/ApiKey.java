package io.filehost.authservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** An account's API key pair: key1 identifies it, key2 (stored as SHA-256 only) proves it. */
@Entity
@Table(name = "api_keys")
public class ApiKey extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "api_key_id", sequenceName = "api_key_id_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "api_key_id")
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id", nullable = false)
    public Account account;

    @Column(nullable = false, length = 64)
    public String key1;

    @Column(name = "key2_sha256", nullable = false, length = 64)
    public String key2Sha256;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The live (not revoked) pair whose key1 this is, with its account, tenant and package. */
    public static Optional<ApiKey> findLiveByKey1(String key1) {
        return find("select k from ApiKey k join fetch k.account a join fetch a.tenant join fetch a.accountPackage "
                + "where k.key1 = ?1 and k.revokedAt is null", key1).firstResultOptional();
    }

    public static long revokeAllOf(Account account, Instant now) {
        return update("revokedAt = ?1 where account = ?2 and revokedAt is null", now, account);
    }

    public static boolean key1Exists(String key1) {
        return count("key1", key1) > 0;
    }
}
