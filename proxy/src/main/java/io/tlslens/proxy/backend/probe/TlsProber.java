package io.tlslens.proxy.backend.probe;

import io.netty.channel.EventLoopGroup;
import io.tlslens.inspector.policy.CipherSuites;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHelloBuilder;
import io.tlslens.proxy.backend.BackendProbe;
import io.tlslens.proxy.backend.probe.HelloExchange.Answer;
import io.tlslens.proxy.backend.probe.HelloExchange.Kind;
import io.tlslens.proxy.backend.probe.HelloExchange.Until;
import io.tlslens.proxy.backend.probe.ProbeFacts.AlpnFacts;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameFacts;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameKind;
import io.tlslens.proxy.backend.probe.ProbeFacts.VersionFacts;
import io.tlslens.proxy.conn.Transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Enumerates what a TLS server accepts, the way testssl.sh and nmap's ssl-enum-ciphers do: hand-built
 * ClientHellos ({@link ClientHelloBuilder}), one question each, read up to the ServerHello (or the end of a
 * TLS ≤ 1.2 server's plaintext flight), never a completed handshake.
 *
 * <ul>
 *   <li>versions and cipher suites: per version, offer every suite the IANA registry names, take the one the
 *       server picks out of the offer and ask again until it refuses; then the accepted list forwards and
 *       reversed tells whether the server enforces its own order;</li>
 *   <li>named groups: TLS 1.3 — one group and an empty key_share, answered by a HelloRetryRequest naming the
 *       group when accepted; TLS ≤ 1.2 — the ECDHE suites with one curve, read back from the ServerKeyExchange;</li>
 *   <li>signature schemes: one scheme offered; TLS 1.2 — the ServerKeyExchange names the scheme signed with;
 *       TLS 1.3 — a ServerHello (rather than an alert) with a real key share means the server can sign with it;</li>
 *   <li>the chain and OCSP staple per server_name (the name, none, an unknown one): from the TLS ≤ 1.2 flight
 *       with status_request; when the server speaks only TLS 1.3, where the Certificate is encrypted, once per
 *       name with a real TLS client ({@link BackendProbe#handshake});</li>
 *   <li>ALPN: {@code h2} and {@code http/1.1}, each offered alone.</li>
 * </ul>
 *
 * At most {@code connections} probe connections are open at once (a fixed pool: every connection is made by
 * one of its threads).
 */
public final class TlsProber {
    /** Receives progress; called from probe threads. */
    public interface Progress {
        /** A step started, e.g. "TLS 1.2 cipher suites". */
        void step(String what);

        /** One more connection was made; {@code total} so far. */
        void connection(int total);
    }

    /** The server_name sent as the unknown name. */
    public static final String UNKNOWN_NAME = "tlslens-probe-unknown.invalid";
    /** Probed versions, in the order reported. */
    public static final List<Integer> VERSIONS = List.of(0x0300, 0x0301, 0x0302, 0x0303, 0x0304);
    /** ALPN protocols probed. */
    public static final List<String> ALPN = List.of("h2", "http/1.1");

    private static final int TLS12 = 0x0303;
    private static final int TLS13 = 0x0304;
    private static final int SCSV = CipherSuites.TLS_EMPTY_RENEGOTIATION_INFO_SCSV;

    /** Every TLS ≤ 1.2 suite the registry names, AEAD first, then ECDHE, DHE, RSA key exchange. */
    static final List<Integer> LEGACY_SUITES = legacySuites();
    static final List<Integer> TLS13_SUITES = List.of(0x1301, 0x1302, 0x1303, 0x1304, 0x1305);
    /** TLS 1.3 groups probed: classic, finite-field, hybrid post-quantum, brainpool. */
    static final List<Integer> GROUPS_13 = List.of(0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102,
            0x0103, 0x0104, 0x11ec, 0x11eb, 0x11ed, 0x001f, 0x0020, 0x0021);
    /** TLS ≤ 1.2 ECDHE curves probed. */
    static final List<Integer> GROUPS_12 = List.of(0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x001a, 0x001b, 0x001c);
    static final List<Integer> ALL_GROUPS = union(GROUPS_13, GROUPS_12);
    /** Signature schemes probed (TLS 1.2: all; TLS 1.3: those RFC 8446 allows in CertificateVerify). */
    static final List<Integer> SCHEMES = List.of(0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806,
            0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201);
    static final List<Integer> SCHEMES_13 = SCHEMES.stream()
            .filter(s -> s != 0x0401 && s != 0x0501 && s != 0x0601 && s != 0x0203 && s != 0x0201).toList();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InetSocketAddress address;
    private final String target;
    private final String serverName;
    private final Duration timeout;
    private final int connections;
    private final Progress progress;
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    /**
     * @param address     the server
     * @param target      {@code host:port} as the user wrote it (reported back)
     * @param serverName  server_name for the enumeration and the NAME probe, or null (an IP target without --servername)
     * @param timeout     connect timeout and longest wait for each answer
     * @param connections most probe connections open at once (at least 1)
     * @param progress    progress receiver
     */
    public TlsProber(InetSocketAddress address, String target, String serverName, Duration timeout, int connections,
                     Progress progress) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " < 1");
        }
        this.address = address;
        this.target = target;
        this.serverName = serverName;
        this.timeout = timeout;
        this.connections = connections;
        this.progress = progress;
    }

    /** TCP could not be opened to the target. */
    public static final class ConnectFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;

        ConnectFailedException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        /** @return {@code refused}, {@code timeout} or {@code unreachable} */
        public String reason() {
            return reason;
        }
    }

    /**
     * Runs the whole probe.
     *
     * @return what was observed
     * @throws ConnectFailedException when TCP to the target cannot be opened at all
     * @throws InterruptedException   when interrupted
     */
    public ProbeFacts run() throws ConnectFailedException, InterruptedException {
        long start = System.nanoTime();
        opened();
        try (Socket s = new Socket()) {
            HelloExchange.connect(s, address, timeout); // TCP alone first: refused, timeout or unreachable is exit 2
            made.incrementAndGet();
        } catch (IOException e) {
            HelloExchange.ConnectFailure f = HelloExchange.classify(e);
            throw new ConnectFailedException(f.word(), "cannot connect to " + target + ": " + f.word() + " (" + e.getMessage() + ")");
        } finally {
            open.decrementAndGet();
        }
        ExecutorService pool = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "tlslens-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            progress.step("detecting TLS");
            Answer first = exchange(detectHello(), Until.SERVER_HELLO);
            if (first.kind() == Kind.NOT_TLS) {
                return new ProbeFacts(target, serverName, first.firstBytes(), List.of(), List.of(), List.of(), made.get(),
                        peak.get(), Duration.ofNanos(System.nanoTime() - start));
            }
            progress.step("versions and cipher suites");
            Map<Integer, Future<Enumerated>> suites = new LinkedHashMap<>();
            for (int v : VERSIONS) {
                suites.put(v, pool.submit(() -> v == TLS13 ? enumerate13() : enumerateLegacy(v)));
            }
            Map<Integer, Enumerated> found = new LinkedHashMap<>();
            for (var e : suites.entrySet()) {
                found.put(e.getKey(), get(e.getValue()));
            }

            progress.step("server order, groups, signature schemes, names, ALPN");
            Map<Integer, Future<Boolean>> order = new LinkedHashMap<>();
            Map<Integer, List<Future<Integer>>> groups = new LinkedHashMap<>();
            Map<Integer, List<Future<Integer>>> schemes = new LinkedHashMap<>();
            for (var e : found.entrySet()) {
                int v = e.getKey();
                List<Integer> accepted = e.getValue().suites();
                if (accepted.size() >= 2) {
                    order.put(v, pool.submit(() -> serverOrder(v, accepted)));
                }
                if (accepted.isEmpty()) {
                    continue;
                }
                List<Future<Integer>> g = new ArrayList<>();
                if (v == TLS13) {
                    for (int group : GROUPS_13) {
                        g.add(pool.submit(() -> group13(accepted, group) ? group : -1));
                    }
                } else {
                    List<Integer> ecdhe = accepted.stream().filter(HelloExchange::isEcdhe).toList();
                    if (!ecdhe.isEmpty()) {
                        for (int group : GROUPS_12) {
                            g.add(pool.submit(() -> group12(v, ecdhe, group) ? group : -1));
                        }
                        if (v == TLS12) {
                            List<Future<Integer>> s = new ArrayList<>();
                            for (int scheme : SCHEMES) {
                                s.add(pool.submit(() -> scheme12(ecdhe, scheme) ? scheme : -1));
                            }
                            schemes.put(v, s);
                        }
                    }
                }
                groups.put(v, g);
            }
            int best12 = bestLegacy(found);
            boolean tls13 = found.get(TLS13).accepted();
            List<Future<NameFacts>> names = new ArrayList<>();
            if (best12 > 0 || tls13) {
                if (serverName != null) {
                    names.add(pool.submit(() -> name(NameKind.NAME, serverName, best12)));
                }
                names.add(pool.submit(() -> name(NameKind.NONE, null, best12)));
                names.add(pool.submit(() -> name(NameKind.UNKNOWN, UNKNOWN_NAME, best12)));
            }
            List<Future<AlpnFacts>> alpn = new ArrayList<>();
            if (best12 > 0) {
                for (String p : ALPN) {
                    alpn.add(pool.submit(() -> alpn12(best12, found.get(best12).suites(), p)));
                }
            }
            Map<Integer, List<Integer>> groupsFound = new LinkedHashMap<>();
            for (var e : groups.entrySet()) {
                groupsFound.put(e.getKey(), collect(e.getValue()));
            }
            if (tls13) {
                List<Integer> accepted13 = found.get(TLS13).suites();
                Optional<Integer> shareGroup = groupsFound.getOrDefault(TLS13, List.of()).stream()
                        .filter(g -> KeyShares.of(g).isPresent()).findFirst();
                List<Future<Integer>> s = new ArrayList<>();
                for (int scheme : SCHEMES_13) {
                    s.add(pool.submit(() -> scheme13(accepted13, shareGroup.orElse(-1), scheme) ? scheme : -1));
                }
                schemes.put(TLS13, s);
            }
            List<NameFacts> nameFacts = new ArrayList<>();
            for (Future<NameFacts> f : names) {
                nameFacts.add(get(f));
            }
            List<AlpnFacts> alpnFacts = new ArrayList<>();
            for (Future<AlpnFacts> f : alpn) {
                alpnFacts.add(get(f));
            }
            if (best12 < 0 && tls13) {
                progress.step("TLS 1.3 chain and ALPN with a TLS client");
                RealClient rc = new RealClient();
                try {
                    List<Future<NameFacts>> completed = new ArrayList<>();
                    for (NameFacts n : nameFacts) {
                        completed.add(pool.submit(() -> rc.complete(n)));
                    }
                    List<Future<AlpnFacts>> a = new ArrayList<>();
                    for (String p : ALPN) {
                        a.add(pool.submit(() -> rc.alpn(p)));
                    }
                    nameFacts.clear();
                    for (Future<NameFacts> f : completed) {
                        nameFacts.add(get(f));
                    }
                    for (Future<AlpnFacts> f : a) {
                        alpnFacts.add(get(f));
                    }
                } finally {
                    rc.close();
                }
            }
            List<VersionFacts> versions = new ArrayList<>();
            for (var e : found.entrySet()) {
                int v = e.getKey();
                Boolean serverOrder = order.containsKey(v) ? get(order.get(v)) : null;
                List<Integer> list = e.getValue().suites();
                versions.add(new VersionFacts(v, list, serverOrder, groupsFound.getOrDefault(v, List.of()),
                        schemes.containsKey(v) ? collect(schemes.get(v)) : List.of(), list.isEmpty() ? e.getValue().refusal() : null));
            }
            return new ProbeFacts(target, serverName, null, versions, nameFacts, alpnFacts, made.get(), peak.get(),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- questions, one connection each

    private record Enumerated(List<Integer> suites, String refusal) {
        boolean accepted() {
            return !suites.isEmpty();
        }
    }

    /** Offers every suite at {@code version}, removes the one picked, asks again until refused. */
    private Enumerated enumerateLegacy(int version) {
        return enumerate(version, LEGACY_SUITES, suites -> legacyHello(version, suites, serverName).records(), true);
    }

    private Enumerated enumerate13() {
        return enumerate(TLS13, TLS13_SUITES,
                suites -> hello13(suites, ALL_GROUPS, KeyShares.X25519, SCHEMES, serverName).records(), false);
    }

    /**
     * The enumeration both generations share: offer what is left, note the suite the server picks, take it out,
     * ask again until the server refuses (or answers with something else).
     *
     * @param retryIsRefusal whether a HelloRetryRequest ends it (TLS ≤ 1.2 hellos cannot be retried)
     */
    private Enumerated enumerate(int version, List<Integer> suites, Function<List<Integer>, byte[]> hello,
                                 boolean retryIsRefusal) {
        List<Integer> remaining = new ArrayList<>(suites);
        List<Integer> accepted = new ArrayList<>();
        String refusal = null;
        while (!remaining.isEmpty()) {
            Answer a = exchange(hello.apply(remaining), Until.SERVER_HELLO);
            if (!a.hello() || retryIsRefusal && a.serverHello().helloRetryRequest()) {
                refusal = a.describe();
                break;
            }
            int v = a.serverHello().selectedVersion();
            int c = a.serverHello().cipherSuite();
            if (v != version) {
                refusal = "answered with " + TlsRegistry.versionName(v);
                break;
            }
            if (!remaining.remove((Integer) c)) {
                refusal = "picked " + TlsRegistry.cipherSuiteName(c) + ", which was not offered";
                break;
            }
            accepted.add(c);
        }
        return new Enumerated(accepted, refusal);
    }

    /** The accepted suites forwards and reversed: the same pick both times means the server's own order. */
    private Boolean serverOrder(int version, List<Integer> accepted) {
        List<Integer> reversed = new ArrayList<>(accepted);
        Collections.reverse(reversed);
        Integer a = pick(version, accepted);
        Integer b = pick(version, reversed);
        if (a == null || b == null) {
            return null;
        }
        return a.equals(b);
    }

    private Integer pick(int version, List<Integer> offer) {
        byte[] hello = version == TLS13 ? hello13(offer, ALL_GROUPS, KeyShares.X25519, SCHEMES, serverName).records()
                : legacyHello(version, offer, serverName).records();
        Answer a = exchange(hello, Until.SERVER_HELLO);
        return a.hello() ? a.serverHello().cipherSuite() : null;
    }

    /** TLS 1.3: one group, no key share; a HelloRetryRequest naming it (or a ServerHello) means accepted. */
    private boolean group13(List<Integer> suites, int group) {
        Answer a = exchange(hello13(suites, List.of(group), -1, SCHEMES, serverName).records(), Until.SERVER_HELLO);
        return a.hello() && a.serverHello().selectedVersion() == TLS13 && a.serverHello().keyShareGroup() == group;
    }

    /**
     * TLS ≤ 1.2: ECDHE suites and one curve; the ServerKeyExchange names the curve used. An ECDSA certificate's
     * own curve must be among the client's supported_groups too (RFC 8422 §5.1), so a refusal of the curve alone is
     * asked again with the NIST curves after it (client preference picks it first when the server has it).
     */
    private boolean group12(int version, List<Integer> ecdhe, int group) {
        Answer a = exchange(legacyHello(version, ecdhe, serverName).supportedGroups(List.of(group)).records(),
                Until.KEY_EXCHANGE);
        if (a.keyExchange() == null) {
            List<Integer> withNist = new ArrayList<>(List.of(group));
            List.of(KeyShares.SECP256R1, KeyShares.SECP384R1, KeyShares.SECP521R1).stream()
                    .filter(g -> g != group).forEach(withNist::add);
            a = exchange(legacyHello(version, ecdhe, serverName).supportedGroups(withNist).records(), Until.KEY_EXCHANGE);
        }
        return a.keyExchange() != null && a.keyExchange().namedGroup() == group;
    }

    /** TLS 1.2: one signature scheme; the ServerKeyExchange is signed with it when accepted. */
    private boolean scheme12(List<Integer> ecdhe, int scheme) {
        ClientHelloBuilder b = legacyHello(TLS12, ecdhe, serverName).signatureSchemes(List.of(scheme));
        Answer a = exchange(b.records(), Until.KEY_EXCHANGE);
        return a.keyExchange() != null && a.keyExchange().signatureScheme() == scheme;
    }

    /** TLS 1.3: one signature scheme and a real key share; a ServerHello means the server can sign with it. */
    private boolean scheme13(List<Integer> suites, int shareGroup, int scheme) {
        Answer a = exchange(hello13(suites, shareGroup < 0 ? ALL_GROUPS : List.of(shareGroup), shareGroup, List.of(scheme),
                serverName).records(), Until.SERVER_HELLO);
        return a.hello() && a.serverHello().selectedVersion() == TLS13
                && (shareGroup < 0 || !a.serverHello().helloRetryRequest());
    }

    private AlpnFacts alpn12(int version, List<Integer> suites, String protocol) {
        ClientHelloBuilder b = legacyHello(version, suites, serverName).alpn(List.of(protocol));
        Answer a = exchange(b.records(), Until.SERVER_HELLO);
        int alert = a.alert() != null && a.alert().fatal() ? a.alert().description() : -1;
        return new AlpnFacts(protocol, a.hello() && protocol.equals(a.serverHello().alpn()), alert);
    }

    /** One server_name: the TLS ≤ 1.2 flight with the chain and staple, or (TLS 1.3 only) whether it is accepted. */
    private NameFacts name(NameKind kind, String sni, int best12) {
        if (best12 > 0) {
            ClientHelloBuilder b = legacyHello(best12, LEGACY_SUITES, sni).statusRequest(true);
            Answer a = exchange(b.records(), Until.FLIGHT);
            return nameFacts(kind, sni, best12, a, true);
        }
        Answer a = exchange(hello13(TLS13_SUITES, ALL_GROUPS, KeyShares.X25519, SCHEMES, sni).records(), Until.SERVER_HELLO);
        return nameFacts(kind, sni, TLS13, a, false);
    }

    private static NameFacts nameFacts(NameKind kind, String sni, int version, Answer a, boolean ocspAsked) {
        boolean accepted = a.hello();
        Alert alert = a.alert();
        int alertCode = !accepted && alert != null ? alert.description() : -1;
        int warning = alert != null && !alert.fatal() ? alert.description() : -1;
        return new NameFacts(kind, sni, version, accepted, accepted ? null : a.describe(), alertCode, warning, a.chain(),
                a.ocspResponse(), ocspAsked);
    }

    /** Real TLS 1.3 handshakes (BoringSSL through {@link BackendProbe}) for what TLS 1.3 encrypts. */
    private final class RealClient implements AutoCloseable {
        private final Transport transport = Transport.best();
        private final EventLoopGroup group = transport.newGroup(1);
        private final BackendProbe probe = new BackendProbe(group, transport, Duration.ZERO, timeout);

        NameFacts complete(NameFacts n) throws Exception {
            if (!n.accepted()) {
                return n;
            }
            BackendProbe.Handshake h = handshake(n.sni(), List.of(), true);
            if (!h.completed()) {
                return new NameFacts(n.kind(), n.sni(), n.version(), false, "TLS 1.3 handshake failed: " + h.failure(), -1,
                        n.warning(), List.of(), null, true);
            }
            return new NameFacts(n.kind(), n.sni(), TLS13, true, null, -1, n.warning(), h.chain(), h.ocspResponse(), true);
        }

        AlpnFacts alpn(String protocol) throws Exception {
            BackendProbe.Handshake h = handshake(serverName, List.of(protocol), false);
            int alert = !h.completed() && h.failure() != null && h.failure().toUpperCase(java.util.Locale.ROOT)
                    .contains("NO_APPLICATION_PROTOCOL") ? 120 : -1;
            return new AlpnFacts(protocol, h.completed() && protocol.equals(h.alpn()), alert);
        }

        private BackendProbe.Handshake handshake(String sni, List<String> alpn, boolean ocsp) throws Exception {
            opened();
            try {
                BackendProbe.Handshake h = probe.handshake(address, sni, TLS13, alpn, ocsp)
                        .get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
                try {
                    h.closed().get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS); // the budget counts open sockets
                } catch (java.util.concurrent.TimeoutException e) {
                    // BackendProbe closes at most a second after the handshake; the socket is gone by now
                }
                progress.connection(made.incrementAndGet());
                return h;
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- ClientHellos

    /** Every version, every suite, an x25519 share: what the server answers first tells whether it speaks TLS. */
    private byte[] detectHello() {
        List<Integer> suites = new ArrayList<>(TLS13_SUITES);
        suites.addAll(LEGACY_SUITES);
        suites.add(SCSV);
        return new ClientHelloBuilder().legacyVersion(TLS12).cipherSuites(suites).serverName(serverName)
                .ecPointFormats(List.of(0)).supportedGroups(ALL_GROUPS).signatureSchemes(SCHEMES)
                .supportedVersions(List.of(TLS13, TLS12, 0x0302, 0x0301)).pskKeyExchangeModes(List.of(1))
                .keyShare(KeyShares.X25519, KeyShares.of(KeyShares.X25519).orElseThrow()).sessionId(random32())
                .records();
    }

    /** A TLS ≤ 1.2 ClientHello (no supported_versions); signature_algorithms only for TLS 1.2 (RFC 5246 §7.4.1.4.1). */
    static ClientHelloBuilder legacyHello(int version, List<Integer> suites, String sni) {
        List<Integer> offer = new ArrayList<>(suites);
        offer.add(SCSV);
        ClientHelloBuilder b = new ClientHelloBuilder().legacyVersion(version)
                .recordVersion(version == 0x0300 ? 0x0300 : 0x0301).cipherSuites(offer).serverName(sni)
                .ecPointFormats(List.of(0)).supportedGroups(ALL_GROUPS).extendedMasterSecret(true);
        if (version >= TLS12) {
            b.signatureSchemes(SCHEMES).signatureSchemesCert(SCHEMES);
        }
        return b;
    }

    /**
     * A TLS 1.3-only ClientHello.
     *
     * @param shareGroup the group to send a real key share for, or -1 for an empty key_share
     */
    static ClientHelloBuilder hello13(List<Integer> suites, List<Integer> groups, int shareGroup, List<Integer> schemes,
                                      String sni) {
        ClientHelloBuilder b = new ClientHelloBuilder().legacyVersion(TLS12).cipherSuites(suites).serverName(sni)
                .supportedGroups(groups).signatureSchemes(schemes).signatureSchemesCert(SCHEMES)
                .supportedVersions(List.of(TLS13)).pskKeyExchangeModes(List.of(1)).sessionId(random32());
        Optional<byte[]> share = shareGroup < 0 ? Optional.empty() : KeyShares.of(shareGroup);
        if (share.isPresent()) {
            b.keyShare(shareGroup, share.get());
        } else {
            b.emptyKeyShare();
        }
        return b;
    }

    // ---------------------------------------------------------------- plumbing

    private Answer exchange(byte[] hello, Until until) {
        opened();
        try {
            Answer a = HelloExchange.exchange(address, hello, timeout, until);
            progress.connection(made.incrementAndGet());
            return a;
        } finally {
            open.decrementAndGet();
        }
    }

    private void opened() {
        int now = open.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    private static int bestLegacy(Map<Integer, Enumerated> found) {
        int best = -1;
        for (var e : found.entrySet()) {
            if (e.getKey() < TLS13 && e.getValue().accepted()) {
                best = Math.max(best, e.getKey());
            }
        }
        return best;
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("probe step failed: " + e.getCause(), e.getCause());
        }
    }

    private static List<Integer> collect(List<Future<Integer>> futures) throws InterruptedException {
        List<Integer> out = new ArrayList<>();
        for (Future<Integer> f : futures) {
            int v = get(f);
            if (v >= 0) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<Integer> union(List<Integer> a, List<Integer> b) {
        List<Integer> out = new ArrayList<>(a);
        b.stream().filter(x -> !out.contains(x)).forEach(out::add);
        return List.copyOf(out);
    }

    private static List<Integer> legacySuites() {
        Comparator<Integer> rank = Comparator.comparingInt(TlsProber::aeadRank).thenComparingInt(TlsProber::kxRank);
        return TlsRegistry.cipherSuiteCodes().stream()
                .filter(c -> c != 0x0000 && !CipherSuites.isTls13(c) && c != SCSV && c != CipherSuites.TLS_FALLBACK_SCSV
                        && !TlsRegistry.isGrease(c))
                .sorted(rank).toList();
    }

    private static int aeadRank(int code) {
        String n = TlsRegistry.cipherSuiteName(code);
        return n.contains("_GCM_") || n.contains("CHACHA20") || n.contains("_CCM") ? 0 : 1;
    }

    private static int kxRank(int code) {
        String n = TlsRegistry.cipherSuiteName(code);
        if (n.startsWith("TLS_ECDHE_")) {
            return 0;
        }
        if (n.startsWith("TLS_DHE_")) {
            return 1;
        }
        if (n.startsWith("TLS_RSA_")) {
            return 2;
        }
        return 3;
    }
}
