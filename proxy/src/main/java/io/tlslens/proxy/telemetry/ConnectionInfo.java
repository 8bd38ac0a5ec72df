package io.tlslens.proxy.telemetry;

/**
 * Identifies one leg of one proxied connection in logs.
 *
 * @param listener       listener name
 * @param leg            {@code frontend} or {@code backend}
 * @param mode           {@code terminate}, {@code passthrough} or {@code originate}
 * @param connectionId   the frontend connection's id (shared by both legs)
 * @param clientAddress  client {@code ip:port}
 * @param backendAddress backend {@code host:port}
 */
public record ConnectionInfo(String listener, String leg, String mode, String connectionId, String clientAddress,
                      String backendAddress) {
}
