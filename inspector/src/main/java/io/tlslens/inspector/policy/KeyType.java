package io.tlslens.inspector.policy;

/** The public-key algorithm of a certificate, which decides the TLS ≤ 1.2 cipher suites it can serve. */
public enum KeyType {
    RSA, ECDSA, EDDSA, OTHER
}
