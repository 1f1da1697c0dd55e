package io.filehost.authservice.service;

import io.filehost.authservice.entity.Tenant;

import java.util.List;

/** A tenant as the gateway and operators see it. {@code hosts} and {@code packages} are empty where not loaded. */
public record TenantView(long id, String name, String publicBaseUrl, boolean strictHttp, String timeZone,
                         boolean isDefault, List<String> hosts, List<PackageView> packages) {

    static TenantView summary(Tenant t) {
        return new TenantView(t.id, t.name, t.publicBaseUrl, t.strictHttp, t.timeZone, t.isDefault, List.of(), List.of());
    }
}
