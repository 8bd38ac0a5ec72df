package io.tlslens.config;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host and a TCP port, as written in the configuration ({@code "127.0.0.1:8443"},
 * {@code "backend.internal:443"}, {@code "[::1]:443"}).
 *
 * @param host a host name or IP literal; IPv6 literals are held without brackets
 * @param port 0..65535 (0 = any free port, meaningful for bind addresses only)
 */
public record HostPort(String host, int port) {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    /**
     * @throws IllegalArgumentException when the host is empty or the port is outside 0..65535
     */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /**
     * Parses {@code host:port}; an IPv6 literal must be bracketed ({@code [::1]:443}).
     *
     * @param s the text to parse
     * @return the parsed address (host lower-cased)
     * @throws IllegalArgumentException with a message saying what is wrong and what is expected
     */
    public static HostPort parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("empty address; expected \"host:port\"");
        }
        String text = s.trim();
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + s + "\": missing ']' after the IPv6 address; expected \"[::1]:443\"");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("\"" + s + "\": missing port; expected \"[" + host + "]:port\"");
            }
            portText = rest.substring(1);
            if (!host.contains(":") || !IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("\"" + s + "\": \"" + host + "\" is not an IPv6 address");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 && !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("\"" + s + "\": missing host; expected \"host:port\", e.g. \"0.0.0.0:" + text + "\"");
            }
            if (colon < 0) {
                throw new IllegalArgumentException("\"" + s + "\": missing port; expected \"host:port\"");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("\"" + s + "\": an IPv6 address must be in brackets, e.g. \"[::1]:443\"");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("\"" + s + "\": missing host; use \"0.0.0.0:" + portText + "\" for all interfaces");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("\"" + s + "\": \"" + host + "\" is not a valid host name or IPv4 address");
            }
        }
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + s + "\": port \"" + portText + "\" is not a number in 0..65535");
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new IllegalArgumentException("\"" + s + "\": port " + port + " is outside 0..65535");
        }
        return new HostPort(host.toLowerCase(Locale.ROOT), port);
    }

    /** @return true when the host is a wildcard address ({@code 0.0.0.0} or {@code ::}) */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * @return a socket address; the host name is resolved now (an IP literal needs no lookup),
     *         and is left unresolved when the lookup fails
     */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** @return {@code host:port}, with IPv6 literals in brackets; {@link #parse} reads it back */
    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
