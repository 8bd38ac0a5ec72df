package io.tlslens.proxy.runtime;

import io.tlslens.config.CertificateKeyPair;
import io.tlslens.config.ConfigLoader;
import io.tlslens.config.ConfigProblem;
import io.tlslens.config.InvalidConfigException;
import io.tlslens.config.TlslensSettings;
import io.tlslens.proxy.admin.CompatCommand;
import io.tlslens.proxy.admin.ExplainCommand;
import io.tlslens.proxy.telemetry.BuildInfo;
import io.tlslens.proxy.telemetry.LogOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tlslens [--config FILE]}: runs the proxy. Without a file it serves the embedded default
 * (listener {@code default} on 127.0.0.1:8443 with a self-signed certificate for {@code localhost},
 * backend 127.0.0.1:8080, admin on 127.0.0.1:9464). Exit codes: 0 after a graceful stop, 2 for a bad
 * configuration (one line per problem on stderr), 1 for anything else. SIGTERM and SIGINT stop
 * gracefully: stop accepting, drain open connections up to {@code drain-timeout}, exit 0. Subcommands:
 * {@code compat}, {@code check} ({@link CheckCommand}) and {@code explain} ({@link ExplainCommand}).
 */
@Command(name = "tlslens", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {CompatCommand.class, CheckCommand.class, ExplainCommand.class, ProbeCommand.class},
        description = "Diagnostic TLS proxy: terminates TLS, relays to a backend, and names why each failed handshake failed.")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("tlslens.main");

    /** Exit code for a configuration that cannot run. */
    public static final int EXIT_CONFIG = 2;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "HOCON configuration file (default: the embedded default)")
    Path config;

    private final PrintStream err = System.err;

    /** @param args command line */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("probe")) {
            LogOutput.toStderr(); // its stdout is the result (JSON with --output json)
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TlslensSettings settings;
        try {
            settings = config != null ? ConfigLoader.load(config) : embeddedDefault();
        } catch (InvalidConfigException e) {
            return configErrors(e.problems());
        }
        LogOutput.apply(settings.log());
        BuildInfo build = BuildInfo.load();
        LOG.info("tlslens {} ({}) starting: configuration {}, {} listener(s), netty {}, TLS engine {}", build.version(),
                build.revision(), settings.source().map(Object::toString).orElse("embedded default"),
                settings.listeners().size(), build.netty(), build.boringssl());
        TlslensServer server = new TlslensServer(settings);
        List<ConfigProblem> problems = server.start();
        if (!problems.isEmpty()) {
            return configErrors(problems);
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        StopSignal.onTermOrInt(stopRequested::countDown);
        stopRequested.await();
        LOG.info("stop requested: draining {} open connection(s) for up to {}", server.activeConnections(),
                settings.drainTimeout());
        server.stop(settings.drainTimeout());
        LOG.info("stopped");
        return 0;
    }

    private TlslensSettings embeddedDefault() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tlslens-default-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        TlslensSettings s = ConfigLoader.embeddedDefault(dir);
        CertificateKeyPair pair = s.listeners().get(0).tls().certificates().get(0);
        byte[] der = pair.chain().get(0).getEncoded();
        String fp = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        err.println("tlslens: no --config given: serving the embedded default");
        err.println("tlslens: self-signed certificate for localhost written to " + pair.certFile());
        err.println("tlslens: SHA-256 fingerprint " + fp);
        err.println("tlslens: try: curl --cacert " + pair.certFile() + " https://localhost:"
                + s.listeners().get(0).bind().port() + "/");
        return s;
    }

    private int configErrors(List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) {
            err.println("tlslens: config error: " + p);
        }
        err.println("tlslens: " + problems.size() + " configuration problem(s); not starting");
        return EXIT_CONFIG;
    }

    /** {@code --version}: tlslens' version and revision from the build, and the Netty and TLS engine versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.load();
            return new String[] {"tlslens " + b.version() + " (" + b.revision() + ")", "netty " + b.netty(),
                    "TLS engine " + b.boringssl()};
        }
    }
}
