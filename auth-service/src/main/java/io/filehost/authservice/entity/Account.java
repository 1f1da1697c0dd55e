package io.filehost.authservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

@Entity
@Table(name = "accounts")
public class Account extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "account_id", sequenceName = "account_id_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_id")
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id", nullable = false)
    public Tenant tenant;

    @Column(nullable = false, length = 255)
    public String username;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "package_id", nullable = false)
    public AccountPackage accountPackage;

    @Column(length = 255)
    public String email;

    /** Lower-case {@link AccountStatus} name; a string so the API can show it as stored. */
    @Column(nullable = false, length = 16)
    public String status;

    @Column(length = 32)
    public String title;

    @Column(length = 255)
    public String firstname;

    @Column(length = 255)
    public String lastname;

    @Column(name = "language_id")
    public Integer languageId;

    @Column(name = "date_created", nullable = false)
    public Instant dateCreated;

    @Column(name = "last_login_date")
    public Instant lastLoginDate;

    @Column(name = "last_login_ip", length = 64)
    public String lastLoginIp;

    @Column(name = "last_payment")
    public Instant lastPayment;

    @Column(name = "paid_expiry_date")
    public Instant paidExpiryDate;

    @Column(name = "storage_limit_override")
    public Long storageLimitOverride;

    public boolean isActive() {
        return AccountStatus.ACTIVE.dbValue().equals(status);
    }

    /** The account with its tenant and package, only if it belongs to {@code tenantId}. */
    public static Optional<Account> findInTenant(long accountId, long tenantId) {
        return find("select a from Account a join fetch a.tenant t join fetch a.accountPackage "
                + "where a.id = ?1 and t.id = ?2", accountId, tenantId).firstResultOptional();
    }

    /** Row lock: serialises concurrent authorizations of one account (token bound, last login). */
    public static Account lockById(long accountId) {
        return findById(accountId, LockModeType.PESSIMISTIC_WRITE);
    }

    public static boolean usernameTaken(Tenant tenant, String username) {
        return count("tenant = ?1 and lower(username) = lower(?2)", tenant, username) > 0;
    }
}
