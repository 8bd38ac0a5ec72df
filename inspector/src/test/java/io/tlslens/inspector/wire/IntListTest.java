package io.tlslens.inspector.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link IntList} behaves like the {@code List<Integer>} that {@link List#copyOf} returns; {@link ExtensionTypes}. */
class IntListTest {
    private static final List<Integer> VALUES = List.of(0x0a0a, 4865, -7, 0, 4865, 70_000);

    @Test
    void equalsHashCodeAndToStringMatchAListOfIntegers() {
        IntList l = IntList.copyOf(new ArrayList<>(VALUES));
        assertThat(l).isEqualTo(VALUES).hasSameHashCodeAs(VALUES).hasToString(VALUES.toString());
        assertThat(VALUES).isEqualTo(l);
        assertThat(IntList.copyOf(VALUES)).isEqualTo(l);
        assertThat(l).isNotEqualTo(List.of(0x0a0a, 4865));
        assertThat(IntList.of()).isEqualTo(List.of()).hasSameHashCodeAs(List.of()).hasToString("[]");
        assertThat(IntList.copyOf(null)).isEmpty();
    }

    @Test
    void readsLikeAList() {
        IntList l = IntList.copyOf(VALUES);
        assertThat(l.getInt(5)).isEqualTo(70_000);
        assertThat(l.get(1)).isEqualTo(4865);
        assertThat(l.indexOf(4865)).isEqualTo(1);
        assertThat(l.lastIndexOf(4865)).isEqualTo(4);
        assertThat(l.contains(-7)).isTrue();
        assertThat(l.contains("x")).isFalse();
        assertThat(l.containsInt(1)).isFalse();
        assertThat(l.subList(1, 3)).containsExactly(4865, -7);
        assertThat(l.toIntArray()).containsExactly(0x0a0a, 4865, -7, 0, 4865, 70_000);
        assertThatThrownBy(() -> l.getInt(6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void isImmutableAndRejectsNullLikeListCopyOf() {
        IntList l = IntList.copyOf(VALUES);
        assertThat(IntList.copyOf(l)).isSameAs(l);
        assertThatThrownBy(() -> l.add(1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> l.set(0, 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> l.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> l.contains(null)).isInstanceOf(NullPointerException.class);
        List<Integer> withNull = new ArrayList<>(VALUES);
        withNull.add(null);
        assertThatThrownBy(() -> IntList.copyOf(withNull)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void extensionTypesSpotRepeatsBeforeAndAfterTheBitmapTakesOver() {
        ExtensionTypes t = new ExtensionTypes();
        for (int type = 0; type < 100; type++) {
            assertThat(t.add(type * 650)).isTrue();
        }
        assertThat(t.add(0)).isFalse();
        assertThat(t.add(31 * 650)).isFalse();
        assertThat(t.add(99 * 650)).isFalse();
        assertThat(t.add(0xffff)).isTrue();
        assertThat(t.add(0xffff)).isFalse();
        assertThat(t.toList()).hasSize(101).startsWith(0, 650).endsWith(99 * 650, 0xffff);
    }
}
