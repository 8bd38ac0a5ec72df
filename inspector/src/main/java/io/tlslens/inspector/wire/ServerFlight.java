package io.tlslens.inspector.wire;

/**
 * What the server's plaintext flight says about one handshake, read from the server's direction only:
 * whether a HelloRetryRequest was sent (and for which group) and whether the session was resumed.
 * Feed it the server's handshake messages and its ChangeCipherSpec in order; not thread-safe.
 *
 * <p>Resumption (RFC 8446 §4.2.11, RFC 5246 §7.3, RFC 5077 §3.1): a TLS 1.3 ServerHello that carries
 * pre_shared_key resumed a session, one without did not. A TLS ≤ 1.2 server that resumes answers with
 * ServerHello then ChangeCipherSpec (the abbreviated handshake, a NewSessionTicket may come between); a
 * full handshake sends Certificate / ServerKeyExchange / CertificateRequest / ServerHelloDone first.
 */
public final class ServerFlight {
    /** Whether the session was resumed, as far as the flight has shown. */
    public enum Resumed {
        /** Not decided yet: no ServerHello, only a HelloRetryRequest, or a TLS 1.2 ServerHello alone so far. */
        UNKNOWN,
        /** Resumed (an abbreviated handshake). */
        YES,
        /** A full handshake. */
        NO
    }

    private ServerHello serverHello;
    private int helloRetryGroup = -1;
    private boolean helloRetryRequest;
    private Resumed resumed = Resumed.UNKNOWN;

    /**
     * A server handshake message.
     *
     * @param type handshake type
     * @param body its body
     * @return the decoded ServerHello or HelloRetryRequest when {@code type} is 2, else null
     * @throws MalformedHandshakeException when a ServerHello does not decode
     */
    public ServerHello handshakeMessage(int type, byte[] body) throws MalformedHandshakeException {
        if (type == HandshakeType.SERVER_HELLO) {
            ServerHello sh = ServerHelloDecoder.decode(body);
            serverHello(sh);
            return sh;
        }
        if (resumed == Resumed.UNKNOWN && serverHello != null && !serverHello.tls13()
                && (type == HandshakeType.CERTIFICATE || type == 12 || type == 13 || type == 14)) {
            resumed = Resumed.NO;
        }
        return null;
    }

    /** A ServerHello or HelloRetryRequest, already decoded. */
    public void serverHello(ServerHello sh) {
        if (sh.helloRetryRequest()) {
            helloRetryRequest = true;
            helloRetryGroup = sh.keyShareGroup();
            return;
        }
        serverHello = sh;
        if (sh.tls13()) {
            resumed = sh.preSharedKeyAccepted() ? Resumed.YES : Resumed.NO;
        }
    }

    /** The server's ChangeCipherSpec. */
    public void changeCipherSpec() {
        if (resumed == Resumed.UNKNOWN && serverHello != null && !serverHello.tls13()) {
            resumed = Resumed.YES;
        }
    }

    /** @return the server's (last) ServerHello, not a HelloRetryRequest; null before it */
    public ServerHello serverHello() {
        return serverHello;
    }

    /** @return true when the server sent a HelloRetryRequest */
    public boolean helloRetryRequest() {
        return helloRetryRequest;
    }

    /** @return the group the HelloRetryRequest asked for (its key_share selected_group), -1 when none or not said */
    public int helloRetryGroup() {
        return helloRetryGroup;
    }

    /** @return whether the session was resumed, as far as seen */
    public Resumed resumed() {
        return resumed;
    }
}
