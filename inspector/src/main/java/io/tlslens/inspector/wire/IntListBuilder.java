package io.tlslens.inspector.wire;

import java.util.Arrays;

/** Appends ints to a growable array, then hands it over as an {@link IntList} without copying. Single use. */
final class IntListBuilder {
    private int[] values;
    private int size;

    /** @param capacity the expected number of values (the array grows past it when needed) */
    IntListBuilder(int capacity) {
        values = new int[Math.max(capacity, 1)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    /** @return the value at {@code index}, which must be below {@link #size()} */
    int get(int index) {
        return values[index];
    }

    /** @return the values added so far; the builder must not be used afterwards */
    IntList build() {
        return IntList.wrap(values, size);
    }
}
