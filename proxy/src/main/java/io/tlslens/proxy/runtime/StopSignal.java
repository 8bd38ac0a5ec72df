package io.tlslens.proxy.runtime;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful-stop request, so the process can drain and exit 0
 * instead of the JVM's default exit status 143/130.
 */
final class StopSignal {
    private StopSignal() {
    }

    /**
     * @param onStop run (once per signal) on the JVM's signal thread when SIGTERM or SIGINT arrives
     */
    static void onTermOrInt(Runnable onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> onStop.run());
            } catch (IllegalArgumentException unsupported) {
                // a platform without this signal: the JVM's default handling stays
            }
        }
    }
}
