package io.tlslens.inspector.wire;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable {@code List<Integer>} backed by an {@code int[]}: what {@link ClientHello} uses for its code lists,
 * so decoding does not box every cipher suite and extension type. Elements are boxed only when read through the
 * {@link List} interface; hot paths (fingerprints) read them with {@link #getInt(int)} or {@link #copyInto(int[])}.
 *
 * <p>It behaves like the lists {@link List#copyOf} returns: equal to (and with the same hash code and
 * {@code toString} as) any {@code List} of the same {@code Integer}s, mutators throw
 * {@link UnsupportedOperationException}, and null queries ({@code contains(null)}, {@code indexOf(null)}) throw
 * {@link NullPointerException}.
 */
public final class IntList extends AbstractList<Integer> implements RandomAccess {
    private static final IntList EMPTY = new IntList(new int[0], 0);

    private final int[] values;
    private final int size;

    private IntList(int[] values, int size) {
        this.values = values;
        this.size = size;
    }

    /** @return the empty list */
    public static IntList of() {
        return EMPTY;
    }

    /**
     * Wraps {@code values[0, size)} without copying; the caller gives up the array (it must not change it).
     *
     * @return a list over the first {@code size} values
     */
    static IntList wrap(int[] values, int size) {
        Objects.checkFromIndexSize(0, size, values.length);
        return size == 0 ? EMPTY : new IntList(values, size);
    }

    /**
     * @param values any list of integers, or null
     * @return {@code values} itself when it already is an {@code IntList}; else an {@code IntList} copy (empty for
     *         null)
     * @throws NullPointerException if {@code values} holds a null element
     */
    public static IntList copyOf(List<Integer> values) {
        if (values == null) {
            return EMPTY;
        }
        if (values instanceof IntList l) {
            return l;
        }
        int n = values.size();
        if (n == 0) {
            return EMPTY;
        }
        int[] a = new int[n];
        int i = 0;
        for (Integer v : values) {
            a[i++] = v; // unboxing throws NullPointerException on a null element, as List.copyOf does
        }
        return wrap(a, i);
    }

    /** @return the value at {@code index}, unboxed */
    public int getInt(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    /** @return true when {@code value} is in the list */
    public boolean containsInt(int value) {
        return indexOfInt(value) >= 0;
    }

    /** @return index of the first occurrence of {@code value}, or -1 */
    public int indexOfInt(int value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** @return a new array holding the values in order */
    public int[] toIntArray() {
        return Arrays.copyOf(values, size);
    }

    /**
     * Copies the values into {@code dest[0, size())}, for callers that keep a scratch array.
     *
     * @throws IndexOutOfBoundsException when {@code dest} is shorter than {@link #size()}
     */
    public void copyInto(int[] dest) {
        System.arraycopy(values, 0, dest, 0, size);
    }

    @Override
    public Integer get(int index) {
        return getInt(index);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        Objects.requireNonNull(o);
        return o instanceof Integer v ? indexOfInt(v) : -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        Objects.requireNonNull(o);
        if (o instanceof Integer v) {
            for (int i = size - 1; i >= 0; i--) {
                if (values[i] == v) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        for (Object o : c) {
            if (!contains(o)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof IntList other) {
            return Arrays.equals(values, 0, size, other.values, 0, other.size);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + values[i]; // Integer.hashCode(v) == v: the List.hashCode contract
        }
        return h;
    }
}
