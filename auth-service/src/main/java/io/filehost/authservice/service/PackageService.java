package io.filehost.authservice.service;

import io.filehost.authservice.entity.AccountPackage;
import io.filehost.authservice.entity.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.regex.Pattern;

/** Packages of a tenant. */
@ApplicationScoped
public class PackageService {
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    public static final String FREE = "free";
    public static final String PAID = "paid";
    public static final String ADMIN = "admin";

    @Transactional(Transactional.TxType.MANDATORY)
    void seed(Tenant tenant) {
        persist(tenant, FREE, PackageSpec.free());
        persist(tenant, PAID, PackageSpec.paid());
        persist(tenant, ADMIN, PackageSpec.admin());
    }

    @Transactional
    public PackageView create(String tenantName, String name, PackageSpec spec) {
        Tenant tenant = Tenant.findByName(tenantName == null ? "" : tenantName.trim())
                .orElseThrow(() -> AdminRequestException.badRequest("unknown tenant: " + tenantName));
        String packageName = name == null ? "" : name.trim();
        if (!PACKAGE_NAME.matcher(packageName).matches()) {
            throw AdminRequestException.badRequest("name must be 1-32 characters [a-z0-9._-]");
        }
        if (AccountPackage.findByTenantAndName(tenant, packageName).isPresent()) {
            throw AdminRequestException.conflict("package " + packageName + " already exists in tenant "
                    + tenant.name);
        }
        validate(spec);
        return PackageView.of(persist(tenant, packageName, spec));
    }

    @Transactional
    public List<PackageView> list(String tenantName) {
        Tenant tenant = Tenant.findByName(tenantName == null ? "" : tenantName.trim())
                .orElseThrow(() -> AdminRequestException.notFound("unknown tenant: " + tenantName));
        return AccountPackage.listByTenant(tenant).stream().map(PackageView::of).toList();
    }

    private static AccountPackage persist(Tenant tenant, String name, PackageSpec spec) {
        AccountPackage accountPackage = new AccountPackage();
        accountPackage.tenant = tenant;
        accountPackage.name = name;
        spec.applyTo(accountPackage);
        accountPackage.persistAndFlush();
        return accountPackage;
    }

    private static void validate(PackageSpec spec) {
        if (spec.label() == null || spec.label().isBlank() || spec.label().length() > 255) {
            throw AdminRequestException.badRequest("label must be 1-255 characters");
        }
        if (spec.levelType() == null || spec.levelType().isBlank() || spec.levelType().length() > 32) {
            throw AdminRequestException.badRequest("level_type must be 1-32 characters");
        }
        long[] nonNegative = {spec.maxUploadSize(), spec.waitBetweenDownloads(), spec.downloadSpeed(),
                spec.maxStorageBytes(), spec.daysToKeepInactiveFiles(), spec.concurrentUploads(),
                spec.concurrentDownloads(), spec.downloadsPer24Hours(), spec.downloadSizePer24Hours(),
                spec.maxDownloadFilesizeAllowed(), spec.maxRemoteDownloadUrls()};
        for (long value : nonNegative) {
            if (value < 0) {
                throw AdminRequestException.badRequest("limits must be >= 0 (0 = unlimited)");
            }
        }
    }
}
