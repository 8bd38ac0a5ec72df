package io.tlslens.config;

/** Whether a terminating listener asks the client for a certificate. */
public enum ClientAuth {
    /** No CertificateRequest. */
    NONE,
    /** CertificateRequest sent; a client without a certificate is accepted. */
    OPTIONAL,
    /** CertificateRequest sent; a client without a valid certificate is refused. */
    REQUIRE
}
