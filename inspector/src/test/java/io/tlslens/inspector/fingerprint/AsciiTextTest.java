package io.tlslens.inspector.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link AsciiText} writes numbers as {@link Integer#toString} and {@code %04x} would. */
class AsciiTextTest {
    @Test
    void decimalLikeIntegerToString() {
        int[] values = {0, 9, 10, 99, 771, 65_535, 1_000_000_000, Integer.MAX_VALUE, -1, -10, Integer.MIN_VALUE};
        for (int v : values) {
            assertThat(new AsciiText(1, 1).appendDecimal(v)).hasToString(Integer.toString(v));
        }
    }

    @Test
    void hexAndGrowth() {
        AsciiText t = new AsciiText(2, 8);
        t.appendHex4(0x1301).append(',').appendHex4(0xabcdef).append(',').appendHex(new byte[] {(byte) 0xff, 1}, 2);
        assertThat(t).hasToString("1301,cdef,ff01");
        assertThat(t.clear().length()).isZero();
        assertThat(t.appendTwoDigits(7).appendHexDigit(12)).hasToString("07c");
    }
}
