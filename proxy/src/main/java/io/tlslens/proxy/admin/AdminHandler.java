package io.tlslens.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.proxy.telemetry.FailureLog;
import io.tlslens.proxy.telemetry.ListenerView;
import io.tlslens.proxy.telemetry.ProxyMetrics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The admin HTTP endpoints: {@code GET /} (the operator's page, {@link AdminPage}), {@code /metrics} (Prometheus
 * text format 0.0.4, or OpenMetrics 1.0 when the Accept header asks for it), {@code /healthz}
 * (200 while the process runs), {@code /readyz} (200 while listeners accept, 503 while starting or
 * draining), and with {@code admin.debug-endpoints} on: {@code /debug/handshakes} (the last 100 failures as a
 * JSON array, newest first), {@code /debug/compatibility?policy=NAME} and {@code /debug/certificates} (the
 * served chains with their analysis and the backend certificates seen, per listener).
 */
@ChannelHandler.Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private final ProxyMetrics metrics;
    private final FailureLog failures;
    private final BooleanSupplier ready;
    private final boolean debugEndpoints;
    private final ObjectMapper json = new ObjectMapper();

    private final ClientHelloAggregate seenClients;
    private final List<ListenerView> listeners;
    private final AdminPage page;

    /**
     * @param metrics        the registry
     * @param failures       the failure log and its recent failures
     * @param ready          whether every listener is bound and not draining
     * @param debugEndpoints {@code admin.debug-endpoints}: serve {@code /debug/*}, and failure details on the page
     * @param seenClients    the ClientHellos seen, for the compatibility view
     * @param listeners      the listeners as values, in configuration order
     */
    public AdminHandler(ProxyMetrics metrics, FailureLog failures, BooleanSupplier ready, boolean debugEndpoints,
                        ClientHelloAggregate seenClients, List<ListenerView> listeners) {
        this.seenClients = seenClients;
        this.metrics = metrics;
        this.failures = failures;
        this.ready = ready;
        this.debugEndpoints = debugEndpoints;
        this.listeners = List.copyOf(listeners);
        this.page = new AdminPage(metrics, failures.recent()::timedSnapshot, failures.recent().capacity(), this.listeners,
                seenClients, ready, debugEndpoints);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws JsonProcessingException {
        String path = new QueryStringDecoder(req.uri()).path();
        FullHttpResponse res;
        if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
            res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n", "text/plain");
        } else if (path.equals("/")) {
            // the page judges the clients seen for ?key=RSA|ECDSA like /debug/compatibility; anything else is ignored
            var q = new QueryStringDecoder(req.uri()).parameters();
            String key = q.containsKey("key") ? q.get("key").get(0) : null;
            if (key != null && CompatibilityView.validate("intermediate", key).isPresent()) {
                key = null;
            }
            res = text(HttpResponseStatus.OK, page.render(key, Instant.now()), "text/html; charset=utf-8");
            // defence in depth behind the escaping: this page runs no script and loads nothing
            res.headers().set("Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
            res.headers().set("X-Content-Type-Options", "nosniff");
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        } else if (path.equals("/metrics")) {
            String format = openMetricsAsked(req) ? OPENMETRICS : PROMETHEUS_TEXT;
            res = text(HttpResponseStatus.OK, metrics.scrape(format), format);
        } else if (path.equals("/healthz")) {
            res = text(HttpResponseStatus.OK, "ok\n", "text/plain");
        } else if (path.equals("/readyz")) {
            boolean ok = ready.getAsBoolean();
            res = text(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, ok ? "ready\n" : "not ready\n",
                    "text/plain");
        } else if (debugEndpoints && path.equals("/debug/handshakes")) {
            res = text(HttpResponseStatus.OK, json.writeValueAsString(failures.recent().snapshot()), "application/json");
        } else if (debugEndpoints && path.equals("/debug/certificates")) {
            res = text(HttpResponseStatus.OK, json.writeValueAsString(CertificatesView.render(listeners, metrics, Instant.now())),
                    "application/json");
        } else if (debugEndpoints && path.equals("/debug/compatibility")) {
            // who would fail under a policy, from the ClientHellos seen so far
            var q = new QueryStringDecoder(req.uri()).parameters();
            String policy = q.containsKey("policy") ? q.get("policy").get(0) : null;
            String key = q.containsKey("key") ? q.get("key").get(0) : null;
            var problem = CompatibilityView.validate(policy, key);
            res = problem.isPresent()
                    ? text(HttpResponseStatus.BAD_REQUEST, json.writeValueAsString(Map.of("error", problem.get())),
                            "application/json")
                    : text(HttpResponseStatus.OK, json.writeValueAsString(CompatibilityView.render(seenClients, policy, key)),
                            "application/json");
        } else {
            res = text(HttpResponseStatus.NOT_FOUND,
                    "not found; try / /metrics /healthz /readyz" + (debugEndpoints
                            ? " /debug/handshakes /debug/certificates /debug/compatibility?policy=NAME" : "") + "\n",
                    "text/plain");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A scraper that lists OpenMetrics in its Accept header (as Prometheus does) gets OpenMetrics. */
    private static boolean openMetricsAsked(FullHttpRequest req) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("application/openmetrics-text");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return res;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
