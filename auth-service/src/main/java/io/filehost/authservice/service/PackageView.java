package io.filehost.authservice.service;

import io.filehost.authservice.entity.AccountPackage;

public record PackageView(long id, String tenant, String name, PackageSpec spec) {
    static PackageView of(AccountPackage p) {
        return new PackageView(p.id, p.tenant.name, p.name, PackageSpec.of(p));
    }
}
