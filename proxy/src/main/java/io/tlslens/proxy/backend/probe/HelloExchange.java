package io.tlslens.proxy.backend.probe;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.CertificateDecoder;
import io.tlslens.inspector.wire.CertificateStatusDecoder;
import io.tlslens.inspector.wire.EcdheServerKeyExchange;
import io.tlslens.inspector.wire.HandshakeType;
import io.tlslens.inspector.wire.MalformedHandshakeException;
import io.tlslens.inspector.wire.RecordListener;
import io.tlslens.inspector.wire.RecordScanner;
import io.tlslens.inspector.wire.ServerHello;
import io.tlslens.inspector.wire.ServerHelloDecoder;
import io.tlslens.inspector.wire.ServerKeyExchangeDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * One probe connection: sends a hand-built ClientHello over a plain socket and reads the server's answer with
 * the inspector's {@link RecordScanner} — ServerHello or HelloRetryRequest, and for TLS ≤ 1.2 the rest of the
 * plaintext flight (Certificate, CertificateStatus, ServerKeyExchange) — or an alert, plaintext, a close or
 * silence. Never completes a handshake: the socket is closed as soon as the answer is known.
 */
final class HelloExchange {
    private HelloExchange() {
    }

    /** Most bytes read from one server before giving up (a whole TLS ≤ 1.2 flight with a long chain fits). */
    private static final int MAX_BYTES = 256 * 1024;

    /** How far to read. */
    enum Until {
        /** the ServerHello (or HelloRetryRequest) */
        SERVER_HELLO,
        /** TLS ≤ 1.2: the ServerKeyExchange (or ServerHelloDone when there is none) */
        KEY_EXCHANGE,
        /** TLS ≤ 1.2: the ServerHelloDone, so Certificate and CertificateStatus are in */
        FLIGHT
    }

    /** What ended the exchange. */
    enum Kind {
        /** a ServerHello or HelloRetryRequest arrived (and what was asked for after it, or the server stopped) */
        SERVER_HELLO,
        /** a plaintext alert and no ServerHello */
        ALERT,
        /** the first bytes were not TLS */
        NOT_TLS,
        /** the server closed (or reset) without an answer */
        CLOSED,
        /** no (complete) answer within the timeout */
        TIMEOUT,
        /** undecodable records or handshake messages */
        MALFORMED,
        /** TCP could not be opened */
        CONNECT_FAILED
    }

    /** Why TCP could not be opened. */
    enum ConnectFailure {
        REFUSED, TIMEOUT, UNREACHABLE;

        /** @return {@code refused}, {@code timeout}, {@code unreachable} */
        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The server's answer.
     *
     * @param kind           what ended the exchange
     * @param serverHello    the ServerHello or HelloRetryRequest, or null
     * @param alert          the first plaintext alert, or null
     * @param firstBytes     the first bytes when they were not TLS (up to 16), else null
     * @param chain          the TLS ≤ 1.2 Certificate message's certificates, leaf first, or null
     * @param ocspResponse   the TLS ≤ 1.2 CertificateStatus's OCSP response (DER), or null
     * @param keyExchange    the TLS ≤ 1.2 ECDHE ServerKeyExchange, or null
     * @param connectFailure why TCP failed (kind CONNECT_FAILED), else null
     * @param detail         a short explanation (alert name, exception, malformed reason)
     */
    record Answer(Kind kind, ServerHello serverHello, Alert alert, byte[] firstBytes, List<X509Certificate> chain,
                  byte[] ocspResponse, EcdheServerKeyExchange keyExchange, ConnectFailure connectFailure, String detail) {
        /** @return true for a ServerHello (not a HelloRetryRequest) */
        boolean serverHelloProper() {
            return serverHello != null && !serverHello.helloRetryRequest();
        }

        /** @return true when the server answered with a ServerHello or HelloRetryRequest */
        boolean hello() {
            return serverHello != null;
        }

        /** @return a few words for a refusal: {@code alert handshake_failure (40)}, {@code closed}, {@code timeout} … */
        String describe() {
            return switch (kind) {
                case SERVER_HELLO -> "ServerHello " + TlsRegistry.versionName(serverHello.selectedVersion()) + " "
                        + TlsRegistry.cipherSuiteName(serverHello.cipherSuite());
                case ALERT -> "alert " + alert.descriptionName() + " (" + alert.description() + ")";
                case NOT_TLS -> "not TLS: " + printable(firstBytes);
                case CLOSED -> "closed without an answer";
                case TIMEOUT -> "no answer (timeout)";
                case MALFORMED -> "malformed answer: " + detail;
                case CONNECT_FAILED -> "connect " + connectFailure.word() + ": " + detail;
            };
        }
    }

    /**
     * @param address the server
     * @param hello   the ClientHello records to send
     * @param timeout connect timeout, and the longest wait for the whole answer
     * @param until   how far to read
     * @return the answer; never throws
     */
    static Answer exchange(InetSocketAddress address, byte[] hello, Duration timeout, Until until) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Collector c = new Collector(until);
        try (Socket s = new Socket()) {
            try {
                connect(s, address, timeout);
            } catch (IOException e) {
                return new Answer(Kind.CONNECT_FAILED, null, null, null, null, null, null, classify(e), String.valueOf(e.getMessage()));
            }
            s.setTcpNoDelay(true);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            while (!c.done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return c.answer(Kind.TIMEOUT, null);
                }
                s.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    return c.answer(Kind.TIMEOUT, null);
                } catch (IOException e) {
                    return c.answer(Kind.CLOSED, "reset: " + e.getMessage());
                }
                if (n < 0) {
                    return c.answer(Kind.CLOSED, null);
                }
                c.scanner.feed(buf, 0, n);
                total += n;
                if (total > MAX_BYTES) {
                    return c.answer(Kind.MALFORMED, "more than " + MAX_BYTES + " bytes without the end of the server's flight");
                }
            }
            return c.answer(null, null);
        } catch (IOException e) {
            return c.answer(Kind.CLOSED, e.toString());
        }
    }

    /** Opens TCP to {@code address} and closes it; throws with the reason when it cannot be opened. */
    static void connect(Socket s, InetSocketAddress address, Duration timeout) throws IOException {
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot resolve " + address.getHostString());
        }
        s.connect(address, (int) Math.max(1, timeout.toMillis()));
    }

    /** @return which of refused / timeout / unreachable a connect exception means */
    static ConnectFailure classify(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return ConnectFailure.TIMEOUT;
        }
        if (e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
            return ConnectFailure.UNREACHABLE;
        }
        if (e instanceof ConnectException && e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT)
                .contains("refused")) {
            return ConnectFailure.REFUSED;
        }
        return ConnectFailure.UNREACHABLE;
    }

    /** @return the bytes as text where printable, else {@code \xNN} */
    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int v = x & 0xff;
            if (v >= 0x20 && v < 0x7f) {
                sb.append((char) v);
            } else if (v == '\r') {
                sb.append("\\r");
            } else if (v == '\n') {
                sb.append("\\n");
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.toString();
    }

    /** Listens to the scanner and decides when the answer is complete. */
    private static final class Collector implements RecordListener {
        final RecordScanner scanner = new RecordScanner(this);
        final Until until;
        boolean done;
        ServerHello serverHello;
        Alert alert;
        byte[] notTls;
        List<X509Certificate> chain;
        byte[] ocsp;
        EcdheServerKeyExchange ske;
        String malformed;

        Collector(Until until) {
            this.until = until;
        }

        @Override
        public void onHandshakeMessage(int type, byte[] body) {
            try {
                switch (type) {
                    case HandshakeType.SERVER_HELLO -> {
                        serverHello = ServerHelloDecoder.decode(body);
                        if (until == Until.SERVER_HELLO || serverHello.helloRetryRequest() || serverHello.tls13()) {
                            done = true;
                        }
                    }
                    case HandshakeType.CERTIFICATE -> {
                        if (serverHello != null) {
                            chain = CertificateDecoder.decode(body, false).chain();
                        }
                    }
                    case HandshakeType.CERTIFICATE_STATUS -> ocsp = CertificateStatusDecoder.decodeOcspResponse(body);
                    case HandshakeType.SERVER_KEY_EXCHANGE -> {
                        if (serverHello != null && isEcdhe(serverHello.cipherSuite())) {
                            ske = ServerKeyExchangeDecoder.decodeEcdhe(body, serverHello.selectedVersion());
                        }
                        if (until == Until.KEY_EXCHANGE) {
                            done = true;
                        }
                    }
                    case HandshakeType.SERVER_HELLO_DONE -> done = true;
                    default -> {
                        // CertificateRequest and others: not needed
                    }
                }
            } catch (MalformedHandshakeException e) {
                malformed = TlsRegistry.handshakeTypeName(type) + ": " + e.getMessage();
                done = true;
            }
        }

        @Override
        public void onAlert(Alert a) {
            if (alert == null || (a.fatal() && !alert.fatal())) {
                alert = a;
            }
            if (a.fatal()) {
                done = true; // a warning (unrecognized_name from some servers) does not end the handshake
            }
        }

        @Override
        public void onNotTls(byte[] firstBytes) {
            notTls = firstBytes;
            done = true;
        }

        @Override
        public void onMalformed(long offset, String reason) {
            malformed = reason + " at byte " + offset;
            done = true;
        }

        /** @param ending what ended the read when it was not the collector's own decision; null when it was */
        Answer answer(Kind ending, String detail) {
            Kind kind;
            if (notTls != null) {
                kind = Kind.NOT_TLS;
            } else if (serverHello != null) {
                kind = Kind.SERVER_HELLO;
            } else if (malformed != null) {
                kind = Kind.MALFORMED;
                detail = malformed;
            } else if (alert != null) {
                kind = Kind.ALERT;
                detail = alert.descriptionName();
            } else {
                kind = ending == null ? Kind.CLOSED : ending;
            }
            return new Answer(kind, serverHello, alert, notTls, chain, ocsp, ske, null, detail);
        }
    }

    /** @return true for an ECDHE cipher suite (IANA name TLS_ECDHE_*) */
    static boolean isEcdhe(int suite) {
        return TlsRegistry.cipherSuiteName(suite).startsWith("TLS_ECDHE_");
    }
}
