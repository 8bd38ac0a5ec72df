package io.tlslens.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The keys a listener object may hold, to catch typos ({@code handshake-timout}) that HOCON would
 * otherwise ignore silently. Only the listener subtree is checked, so other sections can grow freely.
 */
final class KeySchema {
    /** A leaf value (string, number, list of strings …). */
    private static final Object LEAF = new Object();

    private record ListOf(Map<String, Object> element) {
    }

    private static final Map<String, Object> PAIR = Map.of("cert", LEAF, "key", LEAF);
    private static final Map<String, Object> FRONTEND_TLS = Map.of(
            "certificates", new ListOf(PAIR), "policy", LEAF, "protocols", LEAF, "cipher-suites", LEAF,
            "require-sni", LEAF, "client-auth", LEAF, "client-ca", LEAF, "client-trust", LEAF, "ocsp-stapling", LEAF);
    private static final Map<String, Object> BACKEND_TLS = Map.of(
            "enabled", LEAF, "trust", LEAF, "server-name", LEAF, "verify-hostname", LEAF,
            "certificate", PAIR, "policy", LEAF, "protocols", LEAF, "cipher-suites", LEAF, "crl", LEAF, "ocsp", LEAF);
    private static final Map<String, Object> BACKEND = Map.of(
            "address", LEAF, "connect-timeout", LEAF, "tls", BACKEND_TLS, "proxy-protocol", LEAF);
    private static final Map<String, Object> ROUTE = Map.of("server-names", LEAF, "backend", BACKEND);
    static final Map<String, Object> LISTENER = Map.of(
            "name", LEAF, "bind", LEAF, "mode", LEAF, "handshake-timeout", LEAF, "max-connections", LEAF,
            "proxy-protocol", LEAF, "tls", FRONTEND_TLS, "backend", BACKEND, "routes", new ListOf(ROUTE));

    /** An unknown key: its full path, the value (for its origin) and the closest known key, if any. */
    record Unknown(String path, ConfigValue value, String suggestion, List<String> known) {
    }

    private KeySchema() {
    }

    /** Reports every key of {@code object} (recursively) that {@code schema} does not know. */
    static void check(ConfigObject object, String prefix, Map<String, Object> schema, Consumer<Unknown> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = e.getKey();
            ConfigValue v = e.getValue();
            Object sub = schema.get(key);
            if (sub == null) {
                List<String> known = schema.keySet().stream().sorted().toList();
                out.accept(new Unknown(prefix + key, v, closest(key, known), known));
            } else if (sub instanceof Map<?, ?> m && v instanceof ConfigObject o) {
                check(o, prefix + key + ".", cast(m), out);
            } else if (sub instanceof ListOf l && v instanceof ConfigList list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof ConfigObject o) {
                        check(o, prefix + key + "[" + i + "].", l.element(), out);
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** @return the known key within edit distance 3 (and less than half the key's length), else null */
    static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.min(3, Math.max(1, key.length() / 2)) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
