package io.tlslens.proxy.runtime;

import io.tlslens.config.HostPort;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.corpus.ClientSimulationCorpus;
import io.tlslens.inspector.corpus.SimulatedClient;
import io.tlslens.proxy.backend.probe.ProbeFacts;
import io.tlslens.proxy.backend.probe.ProbeJudge;
import io.tlslens.proxy.backend.probe.ProbeOutput;
import io.tlslens.proxy.backend.probe.ProbeReport;
import io.tlslens.proxy.backend.probe.TlsProber;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code tlslens probe HOST:PORT [--servername NAME] [--trust FILE] [--output text|json]}: the seed's manual
 * {@code openssl s_client} / {@code nmap ssl-enum-ciphers} steps as one command. Exit codes: 0 nothing wrong,
 * 1 problems found (a finding of severity error or warning), 2 usage error or the server cannot be reached
 * (refused, timeout, unreachable).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Probes a TLS server: versions, cipher suites (server order), groups and signature schemes it "
                + "accepts; its chain with and without SNI and for an unknown name; the OCSP staple; ALPN; the named "
                + "policies it satisfies; which testssl.sh corpus clients would fail; findings with fixes.",
                "Exit codes: 0 nothing wrong, 1 problems found, 2 usage error or server unreachable."})
public final class ProbeCommand implements Callable<Integer> {
    private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

    /** Output formats. */
    public enum Output { text, json }

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "the server, e.g. example.com:443, 10.0.0.5:8443, [::1]:443")
    String target;

    @Option(names = "--servername", paramLabel = "NAME",
            description = "server_name to send and the name to check the certificate against (default: HOST when it is a name)")
    String serverName;

    @Option(names = "--trust", paramLabel = "FILE",
            description = "PEM bundle of the trust anchors to judge the chain against (default: the system roots)")
    Path trust;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", description = "text (default) or json")
    Output output;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "connect timeout and longest wait for each answer (default 5)")
    int timeoutSeconds;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "8",
            description = "most probe connections open at once (default 8)")
    int connections;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        HostPort hp;
        try {
            hp = HostPort.parse(target);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (hp.port() == 0) {
            return usage("port 0 cannot be probed");
        }
        if (timeoutSeconds < 1 || connections < 1) {
            return usage("--timeout and --connections must be at least 1");
        }
        if (serverName != null && (serverName.isEmpty() || serverName.length() > 255 || !serverName.chars().allMatch(
                c -> c > 0x20 && c < 0x7f))) {
            return usage("--servername must be an ASCII host name (internationalized names in their xn-- form)");
        }
        String name = serverName != null ? serverName : IP.matcher(hp.host()).matches() ? null : hp.host();
        ChainAnalyzer analyzer;
        try {
            analyzer = trust == null ? ChainAnalyzer.withSystemTrust(List.of()) : new ChainAnalyzer(readPem(trust));
        } catch (IOException | CertificateException | IllegalArgumentException e) {
            return usage("--trust " + trust + ": " + e.getMessage());
        }
        List<SimulatedClient> corpus = List.of();
        String corpusProblem = null;
        try {
            corpus = ClientSimulationCorpus.readDefault();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            corpusProblem = e.getMessage();
        }
        TlsProber prober = new TlsProber(hp.toSocketAddress(), hp.toString(), name, Duration.ofSeconds(timeoutSeconds),
                connections, progress());
        ProbeFacts facts;
        try {
            facts = prober.run();
        } catch (TlsProber.ConnectFailedException e) {
            clearProgress();
            err.println("tlslens probe: " + e.getMessage());
            if (output == Output.json) {
                out.println(ProbeOutput.connectFailureJson(hp.toString(), name, e.reason(), e.getMessage()));
            }
            return 2;
        }
        clearProgress();
        ProbeReport report = ProbeJudge.judge(facts, hp.host(), analyzer, corpus, corpusProblem, Instant.now());
        out.print(output == Output.json ? ProbeOutput.json(report) + "\n" : ProbeOutput.text(report));
        out.flush();
        return report.problemsFound() ? 1 : 0;
    }

    private int usage(String message) {
        err.println("tlslens probe: " + message);
        return CommandLine.ExitCode.USAGE;
    }

    private static List<X509Certificate> readPem(Path file) throws IOException, CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no certificate in the file");
        }
        return out;
    }

    private boolean interactive() {
        return System.console() != null;
    }

    /** Progress on stderr, only when it is a terminal: one line, rewritten. */
    private TlsProber.Progress progress() {
        if (!interactive()) {
            return new TlsProber.Progress() {
                @Override
                public void step(String what) {
                }

                @Override
                public void connection(int total) {
                }
            };
        }
        return new TlsProber.Progress() {
            private volatile String step = "";

            @Override
            public void step(String what) {
                step = what;
                show(-1);
            }

            @Override
            public void connection(int total) {
                if (total % 5 == 0) {
                    show(total);
                }
            }

            private synchronized void show(int total) {
                err.print("\r\033[K" + "tlslens probe: " + step + (total >= 0 ? " (" + total + " connections)" : ""));
                err.flush();
            }
        };
    }

    private void clearProgress() {
        if (interactive()) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
