package io.filehost.gateway.routing;

import io.filehost.common.api.ApiMessages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The routing table of {@code /api/v2/{endpoint}/{action}} (behaviour.md §1: segments are case-insensitive). An
 * unknown endpoint or action is a {@link Lookup} carrying the exact 404 message upstream sends.
 */
public final class ApiRoutes {
    public static final String PREFIX = "/api/v2/";
    public static final String UPLOAD = "file/upload";
    /** Resumable uploads (tus 1.0, docs/tus.md): a collection and its uploads, routed apart from the actions. */
    public static final String TUS = "file/tus";
    private static final java.util.regex.Pattern TUS_PATH =
            java.util.regex.Pattern.compile("(?i)/api/v2/file/tus(/[A-Za-z0-9]{1,64})?/?");

    private record Endpoint(Service service, Set<String> actions, boolean needsCredentials) {
    }

    /** Endpoints without an action ({@code /api/v2/authorize}). */
    private static final Map<String, Endpoint> SINGLE = Map.of(
            "authorize", new Endpoint(Service.AUTH, Set.of(), false),
            "disable_access_token", new Endpoint(Service.AUTH, Set.of(), true));

    private static final Map<String, Endpoint> WITH_ACTIONS = Map.of(
            "account", new Endpoint(Service.AUTH, Set.of("info", "package"), true),
            "file", new Endpoint(Service.FILE, Set.of("upload", "download", "info", "edit", "delete", "move", "copy",
                    "url_upload_add", "url_upload_status"), true),
            "folder", new Endpoint(Service.FOLDER, Set.of("create", "listing", "info", "edit", "delete", "move"), true));

    private ApiRoutes() {
    }

    /** Either a route or the message of a 404. */
    public record Lookup(ApiRoute route, String notFoundMessage) {
        static Lookup found(ApiRoute route) {
            return new Lookup(route, null);
        }

        static Lookup notFound(String message) {
            return new Lookup(null, message);
        }

        public boolean found() {
            return route != null;
        }
    }

    /**
     * Every route of the table, sorted by name: what the OpenAPI document ({@code META-INF/openapi.yaml}) must
     * describe, no more and no less (checked by a test).
     */
    public static List<ApiRoute> all() {
        List<ApiRoute> routes = new ArrayList<>();
        SINGLE.keySet().forEach(endpoint -> routes.add(resolve(PREFIX + endpoint).route()));
        WITH_ACTIONS.forEach((endpoint, e) -> e.actions()
                .forEach(action -> routes.add(resolve(PREFIX + endpoint + "/" + action).route())));
        routes.sort(Comparator.comparing(ApiRoute::name));
        return List.copyOf(routes);
    }

    /**
     * @param apiPath the (normalised) request path, starting with {@code /api}
     */
    public static Lookup resolve(String apiPath) {
        if (!apiPath.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            // /api, /api/v1/... : not this API's address space at all.
            return Lookup.notFound(ApiMessages.noEndpoint(trimSlashes(apiPath.length() > 1 ? apiPath.substring(1) : "")));
        }
        String rest = trimSlashes(apiPath.substring(PREFIX.length())).toLowerCase(Locale.ROOT);
        int slash = rest.indexOf('/');
        String endpoint = slash < 0 ? rest : rest.substring(0, slash);
        String action = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));

        Endpoint single = SINGLE.get(endpoint);
        if (single != null) {
            if (!action.isEmpty()) {
                return Lookup.notFound(ApiMessages.noMethod(endpoint, action));
            }
            return Lookup.found(new ApiRoute(single.service(), endpoint, "/api/v2/" + endpoint,
                    single.needsCredentials(), false));
        }
        Endpoint withActions = WITH_ACTIONS.get(endpoint);
        if (withActions == null) {
            return Lookup.notFound(ApiMessages.noEndpoint(endpoint));
        }
        if (!withActions.actions().contains(action)) {
            return Lookup.notFound(ApiMessages.noMethod(endpoint, action));
        }
        String name = endpoint + "/" + action;
        return Lookup.found(new ApiRoute(withActions.service(), name, "/api/v2/" + name,
                withActions.needsCredentials(), UPLOAD.equals(name)));
    }

    /**
     * The tus route of {@code apiPath}, or null when it is not one: {@code /api/v2/file/tus} (the collection) or
     * {@code /api/v2/file/tus/{id}}; the id keeps its case (it is the service's to judge).
     */
    public static ApiRoute tus(String apiPath) {
        var matcher = TUS_PATH.matcher(apiPath);
        if (!matcher.matches()) {
            return null;
        }
        String id = matcher.group(1);
        return new ApiRoute(Service.FILE, TUS, "/api/v2/file/tus" + (id == null ? "" : id), true, true);
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
