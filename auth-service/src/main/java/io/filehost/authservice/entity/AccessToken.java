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
import java.util.List;
import java.util.Optional;

/** An API access token, known only by its SHA-256. Valid while {@code expiresAt} is in the future (sliding). */
@Entity
@Table(name = "access_tokens")
public class AccessToken extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "access_token_id", sequenceName = "access_token_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "access_token_id")
    public Long id;

    @Column(name = "token_sha256", nullable = false, length = 64)
    public String tokenSha256;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id", nullable = false)
    public Account account;

    @Column(name = "tenant_id", nullable = false)
    public long tenantId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at", nullable = false)
    public Instant lastUsedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** The token with its account, tenant and package (all that introspection needs, in one query). */
    public static Optional<AccessToken> findByHash(String tokenSha256) {
        return find("select t from AccessToken t join fetch t.account a join fetch a.tenant "
                + "join fetch a.accountPackage where t.tokenSha256 = ?1", tokenSha256).firstResultOptional();
    }

    /** Live tokens of an account, oldest first. */
    public static List<AccessToken> liveOf(Account account, Instant now) {
        return list("account = ?1 and expiresAt > ?2 order by createdAt, id", account, now);
    }

    public static long deleteExpiredOf(Account account, Instant now) {
        return delete("account = ?1 and expiresAt <= ?2", account, now);
    }

    public static long deleteByHash(String tokenSha256, long accountId, long tenantId) {
        return delete("tokenSha256 = ?1 and account.id = ?2 and tenantId = ?3", tokenSha256, accountId, tenantId);
    }

    public static long deleteAllOf(Account account) {
        return delete("account", account);
    }
}
