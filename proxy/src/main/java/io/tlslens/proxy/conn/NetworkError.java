package io.tlslens.proxy.conn;

import java.io.IOException;

/**
 * Tells the network's errors from tlslens' own: an {@link IOException} anywhere in the cause chain (a reset, a
 * broken pipe, a socket the kernel no longer watches) is the network's, even when Netty wraps it, as it does for
 * an epoll registration that failed ({@code UncheckedIOException}). Everything else reaching a handler is ours and
 * is reported as {@code internal_error} with its stack trace.
 */
public final class NetworkError {
    private NetworkError() {
    }

    /**
     * @param cause what reached a handler's exceptionCaught
     * @return true when it, or one of its causes, is an IOException
     */
    public static boolean is(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
