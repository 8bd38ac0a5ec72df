package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;

import java.util.List;
import java.util.stream.Collectors;

/** Renders sets of protocol versions for summaries: {@code TLS 1.0–1.1}, {@code TLS 1.3}, {@code SSL 3.0, TLS 1.2}. */
final class Versions {
    private Versions() {
    }

    /**
     * @param hello a ClientHello
     * @return what it offered: its supported_versions, or without that extension "TLS 1.1 or lower"
     */
    static String offered(ClientHello hello) {
        if (hello.supportedVersions().isEmpty()) {
            return TlsRegistry.versionName(hello.maxVersion()) + " or lower (no supported_versions)";
        }
        return describe(hello.offeredVersions());
    }

    /**
     * @param versions wire codes, ascending
     * @return a range when contiguous (e.g. {@code TLS 1.2–1.3}), else a comma-separated list; {@code none} when empty
     */
    static String describe(List<Integer> versions) {
        if (versions.isEmpty()) {
            return "none";
        }
        int lo = versions.get(0);
        int hi = versions.get(versions.size() - 1);
        boolean contiguous = hi - lo == versions.size() - 1;
        if (versions.size() == 1) {
            return TlsRegistry.versionName(lo);
        }
        if (contiguous && lo >= 0x0301) {
            String hiName = TlsRegistry.versionName(hi);
            return TlsRegistry.versionName(lo) + "–" + hiName.substring(hiName.indexOf(' ') + 1);
        }
        return versions.stream().map(TlsRegistry::versionName).collect(Collectors.joining(", "));
    }
}
