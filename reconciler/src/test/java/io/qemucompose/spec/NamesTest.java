package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void shortNamesStayReadable() {
        assertThat(Names.unitName("myproject", "fedora-vm")).isEqualTo("qemu-compose-myproject-fedora-vm");
        assertThat(Names.dnsmasqUnitName("p", "default")).isEqualTo("qemu-compose-dnsmasq-p-default");
        assertThat(Names.bridgeName("app", "front")).isEqualTo("qc-app-front");
        assertThat(Names.tapName("app", "web", 0)).isEqualTo("tap-app-web-0");
    }

    @Test
    void longNamesAreShortenedDeterministicallyAndKeepAReadableHead() {
        String bridge = Names.bridgeName("myproject", "frontend");

        assertThat(bridge).hasSize(15).startsWith("qc-myproj").isEqualTo(Names.bridgeName("myproject", "frontend"));
        assertThat(bridge).isNotEqualTo(Names.bridgeName("myproject", "frontent"));
        assertThat(Names.tapName("myproject", "fedora-vm", 0)).hasSize(15)
                .isNotEqualTo(Names.tapName("myproject", "fedora-vm", 1));
    }

    @Property
    void interfaceNamesNeverExceedFifteenCharacters(@ForAll @AlphaChars @StringLength(min = 1, max = 63) String project,
            @ForAll @AlphaChars @StringLength(min = 1, max = 63) String name, @ForAll @IntRange(max = 64) int index) {
        assertThat(Names.bridgeName(project, name)).hasSizeLessThanOrEqualTo(Names.MAX_INTERFACE_NAME);
        assertThat(Names.tapName(project, name, index)).hasSizeLessThanOrEqualTo(Names.MAX_INTERFACE_NAME);
    }

    @Test
    void shortenedBridgeNamesOfOneProjectDoNotCollideInPractice() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(Names.bridgeName("longproject", "network-" + i))).isTrue();
        }
    }

    @Test
    void namesThatCouldEscapeAFolderOrBreakAUnitAreRefused() {
        for (String bad : new String[] {"..", "../x", "a/b", "a.b", "-web", "web-", "Web", "a b", "a\\b", "",
                "ssh", "volumes", "a_b", "x".repeat(64)}) {
            assertThat(Names.vmNameProblem(bad)).as(bad).isPresent();
        }
        for (String bad : new String[] {"..", "a/b", "a.b", "_x", "", "a b", "é"}) {
            assertThat(Names.resourceNameProblem("network", bad)).as(bad).isPresent();
        }
        assertThat(Names.vmNameProblem("fedora-vm")).isEmpty();
        assertThat(Names.resourceNameProblem("volume", "postgres_data")).isEmpty();
    }

    @Test
    void folderNamesAreNormalizedLikeDockerCompose() {
        assertThat(Names.normalizeProjectName("My Project.v2")).hasValue("myprojectv2");
        assertThat(Names.normalizeProjectName("__web-stack")).hasValue("web-stack");
        assertThat(Names.normalizeProjectName("...")).isEmpty();
    }
}
