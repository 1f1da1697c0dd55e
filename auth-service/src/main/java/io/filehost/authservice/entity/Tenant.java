package io.filehost.authservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A site: its own hosts, packages and accounts. */
@Entity
@Table(name = "tenants")
public class Tenant extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "tenant_id", sequenceName = "tenant_id_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "tenant_id")
    public Long id;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(name = "public_base_url", length = 2048)
    public String publicBaseUrl;

    @Column(name = "strict_http", nullable = false)
    public boolean strictHttp;

    @Column(name = "time_zone", nullable = false, length = 64)
    public String timeZone;

    @Column(name = "is_default", nullable = false)
    public boolean isDefault;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @OneToMany(mappedBy = "tenant", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("host")
    public List<TenantHost> hosts = new ArrayList<>();

    public static Optional<Tenant> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public static Optional<Tenant> findDefault() {
        return find("isDefault", true).firstResultOptional();
    }
}
