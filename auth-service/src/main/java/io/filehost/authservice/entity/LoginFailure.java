package io.filehost.authservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One failed {@code /authorize}. Counting per client ip or per key1 within a window uses the (subject, failed_at)
 * indexes; rows older than the window are useless and removed by the cleanup job.
 */
@Entity
@Table(name = "login_failures")
public class LoginFailure extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "login_failure_id", sequenceName = "login_failure_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "login_failure_id")
    public Long id;

    @Column(name = "client_ip", nullable = false, length = 64)
    public String clientIp;

    /** SHA-256 of the key1 that was tried: never the value, which might be a mistyped secret. */
    @Column(name = "key1_sha256", nullable = false, length = 64)
    public String key1Sha256;

    @Column(name = "failed_at", nullable = false)
    public Instant failedAt;

    public static long countByIpSince(String clientIp, Instant since) {
        return count("clientIp = ?1 and failedAt > ?2", clientIp, since);
    }

    public static long countByKey1Since(String key1Sha256, Instant since) {
        return count("key1Sha256 = ?1 and failedAt > ?2", key1Sha256, since);
    }
}
