package io.tlslens.proxy.runtime;

import io.tlslens.config.CertificateKeyPair;
import io.tlslens.config.ConfigLoader;
import io.tlslens.config.ConfigProblem;
import io.tlslens.config.InvalidConfigException;
import io.tlslens.config.ListenerSettings;
import io.tlslens.config.TlslensSettings;
import io.tlslens.inspector.cert.CertificateProblem;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.proxy.telemetry.LogOutput;
import io.tlslens.proxy.tls.EngineDrops;
import io.tlslens.proxy.tls.ServedCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tlslens check [--config FILE]}: validates a configuration as {@code nginx -t} does, without binding a
 * port. Problems are those start-up refuses (the loader's, and TLS settings the engine refuses), with the same
 * words and {@code file:line}; warnings are what it would start with: a served certificate expired, not yet valid
 * or expiring within 30 days, a chain incomplete for the configured {@code client-trust}, protocols or cipher
 * suites the engine drops. One line per problem or warning on stderr, a verdict on stdout.
 * Exit codes: 0 valid, 1 valid with warnings, 2 invalid.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a configuration without binding any port: exit 0 valid, 1 valid with warnings, 2 invalid.")
public final class CheckCommand implements Callable<Integer> {
    /** Served certificates expiring sooner than this are warned about. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "HOCON configuration file (default: the embedded default)")
    Path config;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Path tmp = config == null ? Files.createTempDirectory("tlslens-check-") : null;
        try (AutoCloseable quiet = LogOutput.quiet()) {
            return check(tmp);
        } finally {
            if (tmp != null) {
                try (Stream<Path> files = Files.walk(tmp)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private int check(Path embeddedDir) {
        String source = config != null ? config.toString() : "embedded default";
        TlslensSettings settings;
        try {
            settings = config != null ? ConfigLoader.load(config) : ConfigLoader.embeddedDefault(embeddedDir);
        } catch (InvalidConfigException e) {
            return invalid(source, e.problems());
        }
        List<ConfigProblem> problems = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        Instant now = Instant.now();
        for (ListenerSettings ls : settings.listeners()) {
            ListenerTls tls = ListenerTls.build(ls, problems, status -> { });
            if (tls != null) {
                warnings.addAll(warnings(ls, tls, now));
            }
        }
        if (!problems.isEmpty()) {
            return invalid(source, problems);
        }
        for (ConfigProblem w : warnings) {
            err.println("tlslens: warning: " + w);
        }
        if (!warnings.isEmpty()) {
            out.println("tlslens check: " + source + ": valid, " + warnings.size() + " warning(s); "
                    + settings.listeners().size() + " listener(s)");
            return 1;
        }
        out.println("tlslens check: " + source + ": valid; " + settings.listeners().size() + " listener(s)");
        return 0;
    }

    private int invalid(String source, List<ConfigProblem> problems) {
        for (ConfigProblem p : problems) {
            err.println("tlslens: config error: " + p);
        }
        out.println("tlslens check: " + source + ": invalid, " + problems.size() + " problem(s); tlslens would not start");
        return Main.EXIT_CONFIG;
    }

    /** @return what this listener would start with but should not: certificates, chains, engine drops */
    static List<ConfigProblem> warnings(ListenerSettings ls, ListenerTls tls, Instant now) {
        List<ConfigProblem> out = new ArrayList<>();
        if (tls.frontend() != null) {
            List<ServedCertificate> served = tls.frontend().all();
            for (int i = 0; i < served.size(); i++) {
                String key = ls.keyPath("tls.certificates[" + i + "].cert");
                CertificateKeyPair pair = ls.tls().certificates().get(i);
                ChainAnalysis analysis = served.get(i).analysis();
                validity(out, key, ls.origin(), pair.certFile(), analysis.chain(), now);
                if (analysis.incomplete()) {
                    out.add(new ConfigProblem(key, ls.origin(), "the chain in " + pair.certFile()
                            + " is incomplete for the configured client-trust: "
                            + analysis.describe(CertificateProblem.CHAIN_INCOMPLETE, null, now)
                            + " (clients answer certificate_chain_incomplete)",
                            "serve the leaf followed by its intermediate(s), in order: cat server.crt intermediate.crt > bundle.crt"));
                }
            }
            drops(out, ls.keyPath("tls"), ls.origin(), tls.frontend().engineDrops());
        }
        if (tls.backend() != null) {
            ls.backend().tls().certificate().ifPresent(pair -> validity(out, ls.keyPath("backend.tls.certificate.cert"),
                    ls.origin(), pair.certFile(), pair.chain().stream()
                            .map(c -> CertificateSummary.of(c, role(pair.chain(), c))).toList(), now));
            drops(out, ls.keyPath("backend.tls"), ls.origin(), tls.backend().engineDrops());
        }
        return out;
    }

    private static String role(List<X509Certificate> chain, X509Certificate c) {
        return chain.indexOf(c) == 0 ? "leaf" : "intermediate";
    }

    private static void validity(List<ConfigProblem> out, String key, String origin, Path file,
                                 List<CertificateSummary> chain, Instant now) {
        for (CertificateSummary c : chain) {
            String what = c.role() + " " + c.subject() + " in " + file;
            if (now.isAfter(c.notAfter())) {
                out.add(new ConfigProblem(key, origin, what + " expired " + c.notAfter()
                        + " (clients answer certificate_expired)", "renew it and replace the file; tlslens reloads it"));
            } else if (now.isBefore(c.notBefore())) {
                out.add(new ConfigProblem(key, origin, what + " is not valid before " + c.notBefore()
                        + " (clients answer certificate_not_yet_valid)", "check the issuer's and this host's clocks (NTP)"));
            } else if (now.plus(EXPIRY_WARNING).isAfter(c.notAfter())) {
                long days = Duration.between(now, c.notAfter()).toDays();
                out.add(new ConfigProblem(key, origin, what + " expires " + c.notAfter() + " (in " + days
                        + (days == 1 ? " day" : " days") + ")", "renew it before then and replace the file; tlslens reloads it"));
            }
        }
    }

    private static void drops(List<ConfigProblem> out, String key, String origin, EngineDrops drops) {
        for (String sentence : drops.describe()) {
            out.add(new ConfigProblem(key, origin, sentence, "list in protocols / cipher-suites only what the engine "
                    + "serves (TLS 1.0–1.3; BoringSSL's TLS 1.3 suites are its fixed three), so the file says what is served"));
        }
    }
}
