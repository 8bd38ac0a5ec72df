/** tlslens inspector: TLS wire decoding and diagnosis, no Netty. */
package io.tlslens.inspector;
