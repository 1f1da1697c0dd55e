package io.filehost.authservice.service;

import io.filehost.authservice.entity.AccountPackage;
import io.filehost.authservice.entity.Tenant;
import io.filehost.authservice.entity.TenantHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.panache.common.Sort;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Tenants: resolution from the Host header (for the gateway) and administration. */
@ApplicationScoped
public class TenantService {
    private static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** A Host header value: DNS name, IPv4 or bracketed IPv6 literal, optional port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9-]*[a-z0-9])?"
            + "(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:[0-9]{1,5})?");

    public record NewTenant(String name, List<String> hosts, String publicBaseUrl, Boolean strictHttp,
                            String timeZone, Boolean isDefault) {
    }

    @Inject
    PackageService packages;

    /**
     * The tenant a Host header value belongs to: exact {@code host:port}, then the host without its port (both
     * case-insensitive), else the default tenant.
     */
    @Transactional
    public Optional<TenantView> resolve(String hostHeader) {
        String host = hostHeader == null ? "" : hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        Optional<Tenant> tenant = Optional.empty();
        if (!host.isEmpty()) {
            tenant = TenantHost.findTenantByHost(host);
            String withoutPort = withoutPort(host);
            if (tenant.isEmpty() && !withoutPort.equals(host)) {
                tenant = TenantHost.findTenantByHost(withoutPort);
            }
        }
        if (tenant.isEmpty()) {
            tenant = Tenant.findDefault();
        }
        return tenant.map(TenantView::summary);
    }

    static String withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.lastIndexOf(']') > colon || (host.indexOf(':') != colon && !host.startsWith("["))) {
            return host; // no port, a colon inside an IPv6 literal, or an unbracketed IPv6 address
        }
        return host.substring(0, colon);
    }

    @Transactional
    public TenantView create(NewTenant request) {
        String name = request.name() == null ? "" : request.name().trim();
        if (!TENANT_NAME.matcher(name).matches()) {
            throw AdminRequestException.badRequest("name must be 1-100 characters [A-Za-z0-9._-], starting with a "
                    + "letter or digit");
        }
        if (Tenant.findByName(name).isPresent()) {
            throw AdminRequestException.conflict("tenant " + name + " already exists");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String raw : request.hosts() == null ? List.<String>of() : request.hosts()) {
            String host = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            if (host.length() > 255 || !HOST.matcher(host).matches()) {
                throw AdminRequestException.badRequest("not a host[:port]: " + raw);
            }
            if (TenantHost.exists(host)) {
                throw AdminRequestException.conflict("host " + host + " already belongs to a tenant");
            }
            hosts.add(host);
        }
        boolean isDefault = Boolean.TRUE.equals(request.isDefault());
        if (isDefault && Tenant.findDefault().isPresent()) {
            throw AdminRequestException.conflict("another tenant is already the default");
        }

        Tenant tenant = new Tenant();
        tenant.name = name;
        tenant.publicBaseUrl = baseUrl(request.publicBaseUrl());
        tenant.strictHttp = Boolean.TRUE.equals(request.strictHttp());
        tenant.timeZone = zone(request.timeZone());
        tenant.isDefault = isDefault;
        tenant.createdAt = Instant.now();
        for (String host : hosts) {
            TenantHost tenantHost = new TenantHost();
            tenantHost.tenant = tenant;
            tenantHost.host = host;
            tenant.hosts.add(tenantHost);
        }
        tenant.persistAndFlush();
        packages.seed(tenant);
        return view(tenant);
    }

    @Transactional
    public List<TenantView> list() {
        List<TenantView> views = new ArrayList<>();
        for (Tenant tenant : Tenant.<Tenant>listAll(Sort.by("id"))) {
            views.add(view(tenant));
        }
        return views;
    }

    @Transactional
    public Optional<TenantView> get(String name) {
        return Tenant.findByName(name).map(this::view);
    }

    private TenantView view(Tenant tenant) {
        List<String> hosts = tenant.hosts.stream().map(h -> h.host).sorted().toList();
        List<PackageView> packageViews = AccountPackage.listByTenant(tenant).stream().map(PackageView::of).toList();
        return new TenantView(tenant.id, tenant.name, tenant.publicBaseUrl, tenant.strictHttp, tenant.timeZone,
                tenant.isDefault, hosts, packageViews);
    }

    private static String zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return "UTC";
        }
        try {
            return ZoneId.of(timeZone.trim()).getId();
        } catch (DateTimeException e) {
            throw AdminRequestException.badRequest("unknown time zone: " + timeZone);
        }
    }

    /** Absolute http(s) URL without query, fragment or trailing slash (links are built as {@code base + "/..."}). */
    private static String baseUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String url = value.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                    || url.length() > 2048) {
                throw AdminRequestException.badRequest("publicBaseUrl must be an absolute http(s) URL without query "
                        + "or fragment");
            }
        } catch (URISyntaxException e) {
            throw AdminRequestException.badRequest("publicBaseUrl is not a URL: " + value);
        }
        return url;
    }
}
