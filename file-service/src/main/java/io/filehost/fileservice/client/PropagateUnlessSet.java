package io.filehost.fileservice.client;

import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.DefaultClientHeadersFactoryImpl;

/**
 * The configured header propagation ({@code org.eclipse.microprofile.rest.client.propagateHeaders}), except for headers
 * the call sets itself: the default factory's propagated copy would replace them, and a fresh JWT given for a check
 * after a long upload must not be swapped back for the request's expired one.
 */
public class PropagateUnlessSet extends DefaultClientHeadersFactoryImpl {
    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
                                                 MultivaluedMap<String, String> clientOutgoingHeaders) {
        MultivaluedMap<String, String> propagated = super.update(incomingHeaders, clientOutgoingHeaders);
        propagated.keySet().removeIf(name -> clientOutgoingHeaders.keySet().stream()
                .anyMatch(set -> set.equalsIgnoreCase(name)));
        return propagated;
    }
}
