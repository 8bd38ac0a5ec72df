package io.tlslens.proxy.backend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.diagnosis.ProbedBackend;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.proxy.conn.Transport;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * tlslens' own handshakes with a passthrough backend, to learn what the wire does not show: the
 * chain it serves for an SNI (TLS 1.3 encrypts the Certificate message) and, per protocol version
 * (TLS 1.3, 1.2, 1.1, 1.0), whether it accepts a handshake and which cipher suite it picks from a broad
 * offer. Non-blocking: the handshakes run on the given event loops and never verify anything (the
 * chain is taken as sent and analysed like a served chain). Results are cached per backend address
 * and SNI until the TTL passes or the cached leaf expires, whichever is first; at most
 * {@value #MAX_ENTRIES} entries, the least used evicted first (the SNI is client-controlled).
 * {@link #handshake} makes one such handshake on its own, uncached, with ALPN and OCSP stapling if asked
 * ({@code tlslens probe} uses it for what TLS 1.3 encrypts).
 */
public final class BackendProbe {
    /** Most probe results kept. */
    public static final int MAX_ENTRIES = 1024;
    private static final int[] VERSIONS = {0x0304, 0x0303, 0x0302, 0x0301};

    private final EventLoopGroup group;
    private final Transport transport;
    private final Duration ttl;
    private final Duration handshakeTimeout;
    private final ChainAnalyzer analyzer = ChainAnalyzer.withSystemTrust(List.of());
    private final Map<ContextKey, SslContext> contexts = new HashMap<>();
    private final Cache<Key, Entry> cache;

    private record Key(InetSocketAddress address, String sni) {
    }

    private record Entry(CompletableFuture<ProbedBackend> result, long expiresNanos) {
    }

    /**
     * @param group            event loops the probe connections run on
     * @param transport        socket transport
     * @param ttl              how long a result is reused at most
     * @param handshakeTimeout limit for each probe connection and handshake
     */
    public BackendProbe(EventLoopGroup group, Transport transport, Duration ttl, Duration handshakeTimeout) {
        this.group = group;
        this.transport = transport;
        this.ttl = ttl;
        this.handshakeTimeout = handshakeTimeout;
        this.cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<Key, Entry>creating((k, e) -> Duration.ofNanos(e.expiresNanos() - System.nanoTime())))
                .build();
    }

    /**
     * @param address the backend
     * @param sni     the server_name to send, or null for none
     * @return the (possibly cached) probe result; never fails exceptionally (errors are in the result)
     */
    public CompletableFuture<ProbedBackend> probe(InetSocketAddress address, String sni) {
        Key key = new Key(address, sni);
        long now = System.nanoTime();
        Entry e = cache.getIfPresent(key);
        if (e != null && now < e.expiresNanos()) {
            return e.result();
        }
        CompletableFuture<ProbedBackend> result = run(address, sni);
        Entry fresh = new Entry(result, now + ttl.toNanos());
        cache.put(key, fresh);
        result.thenAccept(r -> {
            if (r.chain() != null && !r.chain().chain().isEmpty()) {
                Instant notAfter = r.chain().chain().get(0).notAfter();
                long untilExpiry = Duration.between(Instant.now(), notAfter).toNanos();
                if (untilExpiry > 0 && untilExpiry < ttl.toNanos()) {
                    cache.asMap().replace(key, fresh, new Entry(result, System.nanoTime() + untilExpiry));
                }
            }
            if (r.error() != null) {
                cache.asMap().remove(key, fresh); // do not cache a backend that could not be reached
            }
        });
        return result;
    }

    private CompletableFuture<ProbedBackend> run(InetSocketAddress address, String sni) {
        Map<Integer, CompletableFuture<Attempt>> attempts = new LinkedHashMap<>();
        for (int v : VERSIONS) {
            attempts.put(v, attempt(address, sni, v));
        }
        return CompletableFuture.allOf(attempts.values().toArray(CompletableFuture[]::new)).handle((x, t) -> {
            Map<Integer, Integer> accepted = new HashMap<>();
            List<X509Certificate> chain = null;
            List<String> errors = new ArrayList<>();
            for (var a : attempts.entrySet()) {
                Attempt r = a.getValue().join();
                if (r.cipher() >= 0) {
                    accepted.put(a.getKey(), r.cipher());
                    if (chain == null && r.chain() != null && !r.chain().isEmpty()) {
                        chain = r.chain();
                    }
                } else if (r.connectError() != null) {
                    errors.add(r.connectError());
                }
            }
            ChainAnalysis analysis = null;
            if (chain != null) {
                try {
                    analysis = analyzer.analyze(chain);
                } catch (RuntimeException ex) {
                    errors.add("chain analysis failed: " + ex.getMessage());
                }
            }
            String error = accepted.isEmpty() && errors.size() == VERSIONS.length ? errors.get(0) : null;
            Set<Integer> probed = new HashSet<>();
            for (int v : VERSIONS) {
                probed.add(v);
            }
            return new ProbedBackend(analysis, accepted, probed, error);
        });
    }

    /** One handshake: the chosen cipher (or -1 when refused), the chain, or why TCP failed. */
    private record Attempt(int cipher, List<X509Certificate> chain, String connectError) {
    }

    private CompletableFuture<Attempt> attempt(InetSocketAddress address, String sni, int version) {
        return handshake(address, sni, version, List.of(), false).thenApply(h -> h.completed()
                ? new Attempt(h.cipherSuite(), h.chain(), null) : new Attempt(-1, null, h.connectError()));
    }

    /**
     * The outcome of one real handshake made by {@link #handshake}.
     *
     * @param cipherSuite  the cipher suite negotiated (wire code; 0 when the engine names one the registry does not
     *                     know), or -1 when the handshake did not complete
     * @param chain        the certificates the server sent, leaf first (unverified); null when it did not complete
     * @param ocspResponse the DER OCSP response the server stapled, or null
     * @param alpn         the ALPN protocol the server selected, or null
     * @param failure      why the handshake failed (the engine's message, naming a received alert), or null
     * @param connectError why TCP could not be opened, or null
     * @param closed       completes when the connection is closed (at once when it never opened)
     */
    public record Handshake(int cipherSuite, List<X509Certificate> chain, byte[] ocspResponse, String alpn,
                            String failure, String connectError, CompletableFuture<Void> closed) {
        /** @return true when the handshake completed */
        public boolean completed() {
            return cipherSuite >= 0;
        }
    }

    /**
     * One real handshake at one protocol version, offering every cipher suite the engine has: learns the chain as
     * sent (TLS 1.3 encrypts it), the stapled OCSP response when {@code ocsp} asks for one (BoringSSL engine only),
     * and the ALPN answer. Verifies nothing; closes right after the handshake. Not cached.
     *
     * @param address the server
     * @param sni     the server_name to send, or null for none
     * @param version the one protocol version offered (wire code)
     * @param alpn    ALPN protocols to offer (empty: no ALPN extension)
     * @param ocsp    send status_request and keep the staple
     * @return the outcome; never fails exceptionally
     */
    public CompletableFuture<Handshake> handshake(InetSocketAddress address, String sni, int version, List<String> alpn,
                                                  boolean ocsp) {
        CompletableFuture<Handshake> out = new CompletableFuture<>();
        SslContext ctx;
        try {
            ctx = context(new ContextKey(version, List.copyOf(alpn), ocsp));
        } catch (SSLException | RuntimeException e) {
            out.complete(new Handshake(-1, null, null, null, "no TLS context for "
                    + TlsRegistry.versionName(version) + ": " + e.getMessage(), null, CompletableFuture.completedFuture(null)));
            return out;
        }
        // the handler is kept here, not looked up later: a backend that fails the handshake at once has the channel
        // closed, and its pipeline emptied, before the connect listener runs
        AtomicReference<SslHandler> handler = new AtomicReference<>();
        Bootstrap b = new Bootstrap().channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) handshakeTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler h = sni != null
                                ? ctx.newHandler(ch.alloc(), sni, address.getPort())
                                : ctx.newHandler(ch.alloc());
                        h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
                        handler.set(h);
                        ch.pipeline().addLast(h);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                                c.close();
                            }
                        });
                    }
                });
        Future<Channel> cf = Transport.connect(group.next(), b, address);
        cf.addListener(done -> {
            if (!done.isSuccess()) {
                out.complete(new Handshake(-1, null, null, null, null, String.valueOf(done.cause().getMessage()),
                        CompletableFuture.completedFuture(null)));
                return;
            }
            Channel ch = cf.getNow();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            ch.closeFuture().addListener(x -> closed.complete(null));
            SslHandler ssl = handler.get();
            ssl.handshakeFuture().addListener(hs -> {
                if (hs.isSuccess()) {
                    var session = ssl.engine().getSession();
                    int cipher = TlsRegistry.cipherSuiteCode(session.getCipherSuite()).orElse(0);
                    List<X509Certificate> chain = new ArrayList<>();
                    try {
                        for (Certificate c : session.getPeerCertificates()) {
                            if (c instanceof X509Certificate x) {
                                chain.add(x);
                            }
                        }
                    } catch (SSLPeerUnverifiedException e) {
                        chain = null;
                    }
                    byte[] staple = ocsp && ssl.engine() instanceof ReferenceCountedOpenSslEngine e
                            ? e.getOcspResponse() : null;
                    out.complete(new Handshake(cipher, chain, staple, ssl.applicationProtocol(), null, null, closed));
                    ssl.closeOutbound();
                    ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
                } else {
                    out.complete(new Handshake(-1, null, null, null, String.valueOf(hs.cause().getMessage()), null, closed));
                    ch.close();
                }
            });
        });
        return out;
    }

    private record ContextKey(int version, List<String> alpn, boolean ocsp) {
    }

    private synchronized SslContext context(ContextKey key) throws SSLException {
        SslContext c = contexts.get(key);
        if (c == null) {
            List<String> ciphers = new ArrayList<>(OpenSsl.availableJavaCipherSuites());
            boolean openssl = OpenSsl.isAvailable();
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(openssl ? SslProvider.OPENSSL : SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .protocols(TlsRegistry.versionProtocolName(key.version()))
                    .ciphers(ciphers.isEmpty() ? null : ciphers, SupportedCipherSuiteFilter.INSTANCE);
            if (key.ocsp() && openssl) {
                b.enableOcsp(true);
            }
            if (!key.alpn().isEmpty()) {
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, key.alpn()));
            }
            c = b.build();
            contexts.put(key, c);
        }
        return c;
    }
}
