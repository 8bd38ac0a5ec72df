package io.tlslens.inspector.wire;

/**
 * Collects a ClientHello's extension types in wire order and spots repeats (RFC 8446 §4.2) without boxing: a
 * linear scan while there are few types (every real client), a 65,536-bit map once there are many (so a hostile
 * hello with thousands of extensions stays linear). Single use.
 */
final class ExtensionTypes {
    /** Beyond this many types a bitmap replaces the scan. */
    private static final int SCAN_LIMIT = 32;

    private final IntListBuilder types = new IntListBuilder(SCAN_LIMIT);
    private long[] seen;

    /**
     * @param type a 16-bit extension type
     * @return false (and nothing added) when {@code type} was added before
     */
    boolean add(int type) {
        if (seen == null) {
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i) == type) {
                    return false;
                }
            }
            if (types.size() == SCAN_LIMIT) {
                seen = new long[65_536 / 64];
                for (int i = 0; i < types.size(); i++) {
                    mark(types.get(i));
                }
            }
        } else if ((seen[type >>> 6] & (1L << type)) != 0) {
            return false;
        }
        if (seen != null) {
            mark(type);
        }
        types.add(type);
        return true;
    }

    private void mark(int type) {
        seen[type >>> 6] |= 1L << type;
    }

    /** @return the types in the order they were added */
    IntList toList() {
        return types.build();
    }
}
