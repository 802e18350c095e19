package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ByteSizePropertiesTest {
    private static final String UNITS = "KMGTP";

    @Property
    void everySpellingOfAUnitIsTheSamePowerOf1024(@ForAll @IntRange(min = 0, max = 100_000) int amount,
            @ForAll @IntRange(min = 0, max = 3) int unitIndex) {
        char unit = UNITS.charAt(unitIndex);
        long expected = amount * (1L << (10 * (unitIndex + 1)));

        for (String suffix : new String[] {"", "B", "iB"}) {
            assertThat(ByteSize.parse(amount + String.valueOf(unit) + suffix).bytes()).isEqualTo(expected);
            assertThat(ByteSize.parse(amount + String.valueOf(unit).toLowerCase() + suffix).bytes()).isEqualTo(expected);
        }
        assertThat(ByteSize.parse(amount + " " + unit).bytes()).isEqualTo(expected);
    }

    @Property
    void printedSizeParsesBackToTheSameSize(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        ByteSize size = new ByteSize(bytes);
        assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
    }

    @Property
    void printedSizeUsesTheLargestExactUnit(@ForAll @IntRange(min = 1, max = 1_000_000) int amount,
            @ForAll @IntRange(min = 0, max = 3) int unitIndex) {
        long bytes = amount * (1L << (10 * (unitIndex + 1)));
        String printed = new ByteSize(bytes).toString();
        int printedUnit = UNITS.indexOf(printed.charAt(printed.length() - 1));
        long number = Long.parseLong(printed.substring(0, printed.length() - 1));

        assertThat(printedUnit).isGreaterThanOrEqualTo(unitIndex);
        assertThat(number % 1024 != 0 || printedUnit == UNITS.length() - 1).isTrue();
    }

    @Property(tries = 2000)
    void anyTextParsesOrFailsWithAMessage(@ForAll String text) {
        try {
            assertThat(ByteSize.parse(text).bytes()).isNotNegative();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("found '");
        }
    }

    @Example
    void fractionsAreAllowedWhenTheyComeToWholeBytes() {
        assertThat(ByteSize.parse("1.5G")).isEqualTo(ByteSize.ofMebibytes(1536));
        assertThat(ByteSize.parse("1.5G").toString()).isEqualTo("1536M");
        assertThatThrownBy(() -> ByteSize.parse("0.3K")).hasMessageContaining("not a whole number of bytes");
    }

    @Example
    void gIsGibibyteAsInQemuImg() {
        assertThat(ByteSize.parse("10G").bytes()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(ByteSize.parse("20GiB")).isEqualTo(ByteSize.ofGibibytes(20));
        assertThat(ByteSize.parse("4096").bytes()).isEqualTo(4096);
    }

    @Example
    void tooLargeIsRefusedNotWrapped() {
        assertThatThrownBy(() -> ByteSize.parse("9000000P")).hasMessageContaining("too large");
    }
}
