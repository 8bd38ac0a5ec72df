/**
 * {@code tlslens explain}: maps the error text people paste from tickets (browser codes, curl, OpenSSL, JDK,
 * Go, Python, .NET, GnuTLS, nginx/HAProxy/Envoy log lines, bare alert numbers) to candidate causes of the
 * taxonomy, most likely first. The knowledge is data, {@code /explain/explain-catalogue.txt}; this package is
 * its parser and matcher.
 */
package io.tlslens.inspector.explain;
