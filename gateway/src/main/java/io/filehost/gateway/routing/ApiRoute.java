package io.filehost.gateway.routing;

/**
 * A known API call. {@code path} is the lower-case path the owning service serves ({@code /api/v2/file/info},
 * {@code /api/v2/authorize}); {@code name} is what logs show ({@code file/info}).
 */
public record ApiRoute(Service service, String name, String path, boolean needsCredentials, boolean upload) {

    public boolean is(String routeName) {
        return name.equals(routeName);
    }
}
