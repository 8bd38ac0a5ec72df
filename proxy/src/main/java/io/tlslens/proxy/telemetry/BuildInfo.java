package io.tlslens.proxy.telemetry;

import io.netty.handler.ssl.OpenSsl;
import io.netty.util.Version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * What this build is: tlslens' version (from the POM) and git revision, both written into the jar at
 * build time, and the Netty and BoringSSL versions found at run time.
 *
 * @param version   tlslens' version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param revision  the abbreviated git commit it was built from, or {@code unknown}
 * @param netty     Netty's version, e.g. {@code 4.2.18.Final}
 * @param boringssl the TLS engine's version string, or {@code unavailable} when the JDK provider is used
 */
public record BuildInfo(String version, String revision, String netty, String boringssl) {
    private static final String RESOURCE = "/io/tlslens/proxy/build.properties";

    /**
     * @return the build of the running jar (from classes outside a jar: {@code unknown} version and revision)
     * @throws UncheckedIOException when the build resource cannot be read
     */
    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Version> netty = Version.identify();
        Version nettyCommon = netty.get("netty-common");
        Version tcnative = netty.get("netty-tcnative-classes");
        String engine = !OpenSsl.isAvailable() ? "unavailable"
                : OpenSsl.versionString() + (tcnative == null ? "" : " (netty-tcnative " + tcnative.artifactVersion() + ")");
        return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("revision")),
                nettyCommon == null ? "unknown" : nettyCommon.artifactVersion(), engine);
    }

    private static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
