package io.tlslens.proxy.telemetry;

import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloArrival;

/**
 * A leg's ClientHello for the failure log, with what the wire showed around it: how it arrived and
 * whether the server answered it with a HelloRetryRequest.
 *
 * @param hello             the decoded ClientHello
 * @param arrival           its size and the records and reads it spanned, or null when not seen on the wire
 * @param helloRetryRequest whether the server answered with a HelloRetryRequest
 * @param helloRetryGroup   the group that HelloRetryRequest asked for, -1 when none or not said
 */
public record ClientHelloSeen(ClientHello hello, ClientHelloArrival arrival, boolean helloRetryRequest,
                              int helloRetryGroup) {
    /**
     * @param hello a ClientHello, or null
     * @return it with nothing more known, or null when {@code hello} is null
     */
    public static ClientHelloSeen of(ClientHello hello) {
        return hello == null ? null : new ClientHelloSeen(hello, null, false, -1);
    }

    /**
     * @return the hello with its arrival and HelloRetryRequest, or null when {@code hello} is null
     */
    public static ClientHelloSeen of(ClientHello hello, ClientHelloArrival arrival, boolean helloRetryRequest,
                                     int helloRetryGroup) {
        return hello == null ? null : new ClientHelloSeen(hello, arrival, helloRetryRequest, helloRetryGroup);
    }
}
