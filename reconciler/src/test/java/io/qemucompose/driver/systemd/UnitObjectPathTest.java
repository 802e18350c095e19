package io.qemucompose.driver.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class UnitObjectPathTest {

    @Test
    void escapesLikeSystemdForDotsDashesAndLeadingDigits() {
        assertThat(UnitObjectPath.of("qc-web.service")).isEqualTo("/org/freedesktop/systemd1/unit/qc_2dweb_2eservice");
        assertThat(UnitObjectPath.of("init.scope")).isEqualTo("/org/freedesktop/systemd1/unit/init_2escope");
        assertThat(UnitObjectPath.of("1a.service")).isEqualTo("/org/freedesktop/systemd1/unit/_31a_2eservice");
    }

    @Test
    void pathsOutsideTheUnitTreeHaveNoUnitName() {
        assertThat(UnitObjectPath.unitName("/org/freedesktop/systemd1")).isNull();
        assertThat(UnitObjectPath.unitName("/org/freedesktop/systemd1/job/42")).isNull();
    }

    @Property
    void unitNameReversesTheEscaping(@ForAll @StringLength(min = 1, max = 40) String name) {
        String path = UnitObjectPath.of(name);
        assertThat(path.substring(UnitObjectPath.PREFIX.length())).matches("[A-Za-z0-9_]+");
        assertThat(UnitObjectPath.unitName(path)).isEqualTo(name);
    }
}
