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

import java.util.Optional;

/** A value of the {@code Host} header (lower case, with or without port) that resolves to a tenant. */
@Entity
@Table(name = "tenant_hosts")
public class TenantHost extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "tenant_host_id", sequenceName = "tenant_host_id_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "tenant_host_id")
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id", nullable = false)
    public Tenant tenant;

    @Column(nullable = false, length = 255)
    public String host;

    public static Optional<Tenant> findTenantByHost(String host) {
        return find("select h from TenantHost h join fetch h.tenant where h.host = ?1", host)
                .<TenantHost>firstResultOptional()
                .map(h -> h.tenant);
    }

    public static boolean exists(String host) {
        return count("host", host) > 0;
    }
}
