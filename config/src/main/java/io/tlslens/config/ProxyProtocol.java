package io.tlslens.config;

import java.util.Locale;

/** Whether, and in which version, a PROXY protocol header is sent to the backend before any relayed byte. */
public enum ProxyProtocol {
    /** No header: the backend sees tlslens' own address. */
    NONE,
    /** The human-readable header, {@code PROXY TCP4 <src> <dst> <sport> <dport>\r\n}. */
    V1,
    /** The binary header with the 12-byte signature. */
    V2;

    /** @return the configuration spelling: {@code none}, {@code v1}, {@code v2} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
