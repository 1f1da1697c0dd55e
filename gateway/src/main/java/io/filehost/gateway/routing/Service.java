package io.filehost.gateway.routing;

/** The services the gateway forwards to. */
public enum Service {
    AUTH, FILE, FOLDER
}
