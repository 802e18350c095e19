package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class InterpolationProperties {

    private static Interpolation with(Map<String, String> variables) {
        return new Interpolation(variables::get);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abcXYZ_").ofMinLength(1).ofMaxLength(8)
                .flatMap(tail -> Arbitraries.of("A", "b", "_").map(head -> head + tail));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab$:{}-+?x _/").ofMaxLength(20);
    }

    @Property
    void textWithoutDollarIsUnchanged(@ForAll String text) throws Exception {
        String plain = text.replace("$", "");
        assertThat(with(Map.of()).apply(plain)).isEqualTo(plain);
    }

    @Property
    void escapedTextComesBackUnchanged(@ForAll String text) throws Exception {
        assertThat(with(Map.of("A", "x")).apply(Interpolation.escape(text))).isEqualTo(text);
    }

    @Property
    void setVariableReplacesEveryForm(@ForAll("names") String name, @ForAll String value, @ForAll String before,
            @ForAll String after) throws Exception {
        Interpolation i = with(Map.of(name, value));
        String a = Interpolation.escape(before);
        String b = Interpolation.escape(after);

        assertThat(i.apply(a + "${" + name + "}" + b)).isEqualTo(before + value + after);
        assertThat(i.apply(a + "${" + name + "-fallback}" + b)).isEqualTo(before + value + after);
        assertThat(i.apply(a + "${" + name + "?needed}" + b)).isEqualTo(before + value + after);
        assertThat(i.apply(a + "${" + name + "+alt}" + b)).isEqualTo(before + "alt" + after);
        // $NAME stops at the first character that cannot be part of a name
        assertThat(i.apply("$" + name + "/" + b)).isEqualTo(value + "/" + after);
    }

    /** A default ends at the first '}' outside a nested "${...}" (as in docker compose; there is no escape for it). */
    @Provide
    Arbitrary<String> defaults() {
        return Arbitraries.strings().filter(s -> s.indexOf('}') < 0);
    }

    @Property
    void colonFormsTreatEmptyLikeUnset(@ForAll("names") String name, @ForAll("defaults") String fallback,
            @ForAll boolean setButEmpty) throws Exception {
        Map<String, String> variables = new HashMap<>();
        if (setButEmpty) {
            variables.put(name, "");
        }
        Interpolation i = with(variables);
        String d = Interpolation.escape(fallback);

        assertThat(i.apply("${" + name + ":-" + d + "}")).isEqualTo(fallback);
        assertThat(i.apply("${" + name + ":+" + d + "}")).isEmpty();
        assertThat(i.apply("${" + name + "-" + d + "}")).isEqualTo(setButEmpty ? "" : fallback);
        assertThat(i.apply("${" + name + "+" + d + "}")).isEqualTo(setButEmpty ? fallback : "");
        assertThatThrownBy(() -> i.apply("x${" + name + ":?tell me}"))
                .isInstanceOf(Interpolation.Failure.class)
                .hasMessageContaining(name).hasMessageContaining("tell me")
                .extracting(e -> ((Interpolation.Failure) e).offset()).isEqualTo(1);
    }

    @Property
    void defaultsMayHoldSubstitutions(@ForAll("names") String outer, @ForAll("names") String inner,
            @ForAll String value) throws Exception {
        if (outer.equals(inner)) {
            return;
        }
        assertThat(with(Map.of(inner, value)).apply("${" + outer + ":-${" + inner + "}}")).isEqualTo(value);
    }

    @Property(tries = 2000)
    void anyTextEitherExpandsOrFailsWithAnOffsetInside(@ForAll("text") String text) {
        try {
            with(Map.of("a", "1", "b", "")).apply(text);
        } catch (Interpolation.Failure f) {
            assertThat(f.offset()).isBetween(0, text.length() - 1);
            assertThat(text.charAt(f.offset())).isEqualTo('$');
        }
    }

    @Example
    void unsetPlainVariableBecomesEmptyLikeDockerCompose() throws Exception {
        assertThat(with(Map.of()).apply("a${NOPE}b$NOPE")).isEqualTo("ab");
    }
}
