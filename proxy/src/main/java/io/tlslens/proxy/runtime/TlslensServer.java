package io.tlslens.proxy.runtime;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.tlslens.config.ClientAuth;
import io.tlslens.config.ConfigProblem;
import io.tlslens.config.HostPort;
import io.tlslens.config.ListenerSettings;
import io.tlslens.config.Mode;
import io.tlslens.config.Route;
import io.tlslens.config.TlslensSettings;
import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.proxy.admin.AdminHandler;
import io.tlslens.proxy.admin.CompatibilityView;
import io.tlslens.proxy.backend.BackendConnector;
import io.tlslens.proxy.backend.BackendProbe;
import io.tlslens.proxy.backend.OriginateInitializer;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.Transport;
import io.tlslens.proxy.passthrough.PassthroughInitializer;
import io.tlslens.proxy.telemetry.FailureLog;
import io.tlslens.proxy.telemetry.ListenerView;
import io.tlslens.proxy.telemetry.OutcomeSink;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.terminate.TerminateInitializer;
import io.tlslens.proxy.tls.BackendTlsContext;
import io.tlslens.proxy.tls.OcspChecker;
import io.tlslens.proxy.tls.OcspStapler;
import io.tlslens.proxy.tls.ServedCertificate;
import io.tlslens.proxy.tls.ServerTlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tlslens process: the admin HTTP server and every listener, on shared event loops.
 * {@link #start()} binds everything or reports each address it could not bind;
 * {@link #stop(Duration)} stops accepting, drains open connections up to a timeout, then closes.
 */
public final class TlslensServer {
    private static final Logger LOG = LoggerFactory.getLogger(TlslensServer.class);

    private final TlslensSettings settings;
    private final Transport transport = Transport.best();
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final FailureLog failureLog;
    /** ClientHellos seen on every listener, by JA4, for /debug/compatibility. */
    private final ClientHelloAggregate seenClients = CompatibilityView.newAggregate();
    private final Diagnoser diagnoser = new Diagnoser();
    private final List<ListenerContext> listeners = new ArrayList<>();
    private final Map<String, BackendTlsContext> backendTls = new HashMap<>();
    private final List<Channel> serverChannels = new ArrayList<>();
    /**
     * An acceptor loop and Netty's default worker loops (two per core); accepted connections reach their worker
     * through a task, so never inside a batch of epoll events. A single group of one loop per core that also
     * accepts was measured twice for its latency at half load, with opposite results on this noisy 2-core machine
     * (README "Performance"); the acceptor stays apart.
     */
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel adminChannel;
    private volatile boolean ready;
    private BackendProbe probe;
    private final CertificateReloader reloader;
    private OcspChecker ocsp;

    /** @param settings validated settings */
    public TlslensServer(TlslensSettings settings) {
        this.settings = settings;
        this.failureLog = new FailureLog(settings.log().failuresPerSecond(), settings.log().format());
        this.reloader = new CertificateReloader(metrics, settings.reloadInterval());
    }

    /**
     * Builds the TLS contexts and binds the admin port and every listener.
     *
     * @return problems (port in use, address not available, engine refused the TLS settings), empty on success;
     * on problems everything already bound is closed again
     * @throws InterruptedException when interrupted while binding
     */
    public List<ConfigProblem> start() throws InterruptedException {
        List<ConfigProblem> problems = new ArrayList<>();
        for (ListenerSettings ls : settings.listeners()) {
            OutcomeSink outcomes = new OutcomeSink(ls.name(), ls.mode().label(), metrics, failureLog, seenClients);
            ListenerTls tls = ListenerTls.build(ls, problems,
                    status -> outcomes.revocationCheck(Leg.BACKEND, "crl", status.label()));
            if (tls == null) {
                continue;
            }
            ListenerContext lc = new ListenerContext(ls, tls.frontend(), new AtomicInteger(), metrics, outcomes);
            listeners.add(lc);
            if (tls.backend() != null) {
                backendTls.put(lc.name(), tls.backend());
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        boss = transport.newGroup(1);
        workers = transport.newGroup(0);
        adminChannel = bind(adminBootstrap(), settings.admin().bind(), "tlslens.admin.bind",
                settings.source().map(Object::toString).orElse("embedded default"), problems);
        for (ListenerContext lc : listeners) {
            metrics.registerListener(lc.name(), lc.active());
            Channel ch = bind(new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                            .option(ChannelOption.SO_BACKLOG, 1024)
                            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                            .childOption(ChannelOption.TCP_NODELAY, true)
                            .childHandler(initializer(lc)),
                    lc.settings().bind(), lc.settings().keyPath("bind"), lc.settings().origin(), problems);
            if (ch != null) {
                serverChannels.add(ch);
            }
        }
        if (!problems.isEmpty()) {
            shutdownNow();
            return problems;
        }
        workers.next().scheduleAtFixedRate(failureLog::reportSuppressed, 10, 10, TimeUnit.SECONDS);
        reloader.start();
        ready = true;
        for (ListenerContext lc : listeners) {
            LOG.info("listener '{}' on {} ({}) → backend {} [{} transport, policy {}]", lc.name(),
                    lc.settings().bind(), lc.mode(), lc.settings().backend().address(), transport.name(),
                    lc.tls() != null ? lc.tls().policy().name() : backendTls.containsKey(lc.name())
                            ? backendTls.get(lc.name()).policy().name() : "of the backend");
        }
        LOG.info("admin on http://{}/metrics", settings.admin().bind());
        DescriptorBudget.check(settings.listeners(), DescriptorBudget.processLimit()).ifPresent(LOG::warn);
        return problems;
    }

    /** @return the pipeline initializer of a listener's client channels, by mode */
    private ChannelInitializer<SocketChannel> initializer(ListenerContext lc) {
        if (lc.settings().mode() == Mode.PASSTHROUGH) {
            return PassthroughInitializer.create(lc, transport, probe());
        }
        if (lc.tls() != null) {
            metrics.ocspStapleRefreshes(lc.name(), "success");
            metrics.ocspStapleRefreshes(lc.name(), "failure");
            reloader.watch(lc);
            if (lc.settings().tls().ocspStapling()) {
                new OcspStapler(lc.name(), lc.tls(), ocsp(), metrics).start(workers.next());
            }
        }
        BackendTlsContext btls = backendTls.get(lc.name());
        BackendConnector connector = new BackendConnector(lc, transport, btls, btls == null ? null : probe());
        return lc.settings().mode() == Mode.ORIGINATE ? new OriginateInitializer(lc, connector)
                : TerminateInitializer.create(lc, diagnoser, connector);
    }

    private ServerBootstrap adminBootstrap() {
        AdminHandler admin = new AdminHandler(metrics, failureLog, () -> ready, settings.admin().debugEndpoints(),
                seenClients, listenerViews());
        return new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), admin);
                    }
                });
    }

    /** @return the listeners as values for the admin page: settings in words, and their served chains read live */
    private List<ListenerView> listenerViews() {
        List<ListenerView> views = new ArrayList<>();
        for (ListenerContext lc : listeners) {
            ListenerSettings ls = lc.settings();
            List<String> more = new ArrayList<>();
            if (lc.tls() != null) {
                if (ls.tls().requireSni()) {
                    more.add("require-sni");
                }
                if (ls.tls().clientAuth() != ClientAuth.NONE) {
                    more.add("client-auth = " + ls.tls().clientAuth().name().toLowerCase(Locale.ROOT));
                }
                if (ls.tls().ocspStapling()) {
                    more.add("OCSP stapling");
                }
            }
            if (ls.proxyProtocol()) {
                more.add("PROXY protocol from clients");
            }
            BackendTlsContext btls = backendTls.get(lc.name());
            if (btls != null) {
                more.add("backend TLS" + ls.backend().tls().serverName().map(n -> ", server-name " + n).orElse("")
                        + (ls.backend().tls().verifyHostname() ? "" : ", hostname not verified"));
            }
            for (Route r : ls.routes()) {
                more.add("route " + String.join(", ", r.serverNames()) + " → " + r.backend().address());
            }
            ServerTlsContexts tls = lc.tls();
            views.add(new ListenerView(lc.name(), lc.mode(), ls.bind().toString(),
                    ls.backend().none() ? "none" : ls.backend().address().toString(),
                    tls == null ? null : tls.policy(), btls == null ? null : btls.policy(), more,
                    tls == null ? List::of : () -> tls.all().stream().map(ServedCertificate::currentAnalysis).toList()));
        }
        return views;
    }

    private static Channel bind(ServerBootstrap b, HostPort address, String keyPath, String origin,
                                List<ConfigProblem> problems) throws InterruptedException {
        var f = b.bind(address.toSocketAddress()).await();
        if (f.isSuccess()) {
            return f.channel();
        }
        Throwable c = f.cause();
        String what = c instanceof BindException || String.valueOf(c.getMessage()).contains("in use")
                ? "cannot bind " + address + ": " + c.getMessage()
                : "cannot bind " + address + ": " + c;
        problems.add(new ConfigProblem(keyPath, origin, what,
                "stop the process using that port (ss -ltnp | grep :" + address.port() + ") or choose another address"));
        return null;
    }

    /** @return the OCSP client shared by the listeners' staplers, made on first use */
    private OcspChecker ocsp() {
        if (ocsp == null) {
            ocsp = new OcspChecker();
        }
        return ocsp;
    }

    /** @return the passthrough backend probe, made on first use */
    private BackendProbe probe() {
        if (probe == null) {
            probe = new BackendProbe(workers, transport, Duration.ofMinutes(10), Duration.ofSeconds(5));
        }
        return probe;
    }

    /** @return whether every listener is bound and not draining */
    public boolean ready() {
        return ready;
    }

    /** @return open client connections over all listeners */
    public int activeConnections() {
        return listeners.stream().mapToInt(l -> l.active().get()).sum();
    }

    /**
     * Graceful stop: turns unready, stops accepting, waits for open connections to finish up to
     * {@code drain}, then closes everything.
     *
     * @param drain the longest time to wait for open connections
     * @throws InterruptedException when interrupted while draining
     */
    public void stop(Duration drain) throws InterruptedException {
        ready = false;
        for (Channel ch : serverChannels) {
            ch.close().await();
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (activeConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int left = activeConnections();
        if (left > 0) {
            LOG.warn("drain timeout {} reached; closing {} open connection(s)", drain, left);
        }
        failureLog.reportSuppressed();
        shutdownNow();
    }

    private void shutdownNow() throws InterruptedException {
        ready = false;
        reloader.close();
        if (adminChannel != null) {
            adminChannel.close().await();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** @return the metrics in the Prometheus text format (what /metrics serves) */
    public String scrape() {
        return metrics.scrape();
    }
}
