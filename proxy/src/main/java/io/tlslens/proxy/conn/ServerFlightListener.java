package io.tlslens.proxy.conn;

import io.tlslens.inspector.wire.MalformedHandshakeException;
import io.tlslens.inspector.wire.RecordListener;
import io.tlslens.inspector.wire.ServerHello;

/**
 * Listens to the server's direction of a leg where the server's TLS engine is trusted to police its own
 * messages (ours on the frontend, the backend's as seen by our client engine): feeds each plaintext
 * handshake message and ChangeCipherSpec to the observation's {@link io.tlslens.inspector.wire.ServerFlight},
 * tells a HelloRetryRequest (RFC 8446 §4.1.4) with the group it asks for, and says after each step that the
 * resumption outcome may now be known. A message that does not decode is left to the engine, whose error
 * is the evidence. Subclasses add what only their leg records.
 */
public abstract class ServerFlightListener implements RecordListener {
    private final Observation obs;

    /** @param obs the leg's observation, whose server flight this feeds */
    protected ServerFlightListener(Observation obs) {
        this.obs = obs;
    }

    @Override
    public void onHandshakeMessage(int type, byte[] body) {
        try {
            ServerHello sh = obs.serverFlight().handshakeMessage(type, body);
            if (sh != null && sh.helloRetryRequest()) {
                helloRetryRequest(sh.keyShareGroup());
            }
        } catch (MalformedHandshakeException e) {
            // the engine refuses what it cannot parse
        }
        flightAdvanced();
    }

    @Override
    public void onChangeCipherSpec() {
        obs.serverFlight().changeCipherSpec();
        flightAdvanced();
    }

    /** @param group the named group the HelloRetryRequest asks for (IANA code), -1 when it names none */
    protected abstract void helloRetryRequest(int group);

    /** Called after each message of the flight: count the resumption outcome if it is known now. */
    protected abstract void flightAdvanced();
}
