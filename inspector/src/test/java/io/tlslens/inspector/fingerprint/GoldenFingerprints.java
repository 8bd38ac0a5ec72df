package io.tlslens.inspector.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a golden fingerprint file of src/test/resources/fingerprints: {@code name<TAB>ja4<TAB>ja3} lines, {@code #} comments. */
public final class GoldenFingerprints {
    private GoldenFingerprints() {
    }

    /** @return name → {ja4, ja3}, in file order */
    public static Map<String, String[]> load(String resource) {
        try (InputStream in = GoldenFingerprints.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + resource);
            }
            Map<String, String[]> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3 || out.put(f[0], new String[] {f[1], f[2]}) != null) {
                    throw new IllegalArgumentException(resource + ": bad or repeated line: " + line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
