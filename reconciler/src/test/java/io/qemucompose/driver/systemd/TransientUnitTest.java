package io.qemucompose.driver.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.systemd.dbus.ExecCommandStruct;
import io.qemucompose.driver.systemd.dbus.PropertyStruct;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.freedesktop.dbus.types.UInt64;
import org.junit.jupiter.api.Test;

class TransientUnitTest {

    @Test
    void rejectsNamesThatAreNotServicesAndRelativePrograms() {
        assertThatThrownBy(() -> TransientUnit.service("web", List.of("/bin/true")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".service");
        assertThatThrownBy(() -> TransientUnit.service("a/b.service", List.of("/bin/true")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransientUnit.service("web.service", List.of("qemu-system-x86_64")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> TransientUnit.service("web.service", List.of()).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsTheSpecToTheBusPropertiesSystemdRunWouldSend() {
        var unit = TransientUnit.service("qc-web.service", List.of("/usr/bin/qemu-system-x86_64", "-name", "web"))
                .description("web VM")
                .workingDirectory(Path.of("/srv/p"))
                .environment("B", "2").environment("A", "1")
                .standardOutput(OutputTarget.append(Path.of("/srv/p/web.log")))
                .standardError(OutputTarget.truncate(Path.of("/srv/p/web.err")))
                .killMode(KillMode.MIXED)
                .timeoutStop(Duration.ofSeconds(90))
                .build();

        Map<String, PropertyStruct> props = TransientUnitProperties.of(unit).stream()
                .collect(Collectors.toMap(p -> p.name, p -> p));

        assertThat(props.get("ExecStart").value.getSig()).isEqualTo("a(sasb)");
        @SuppressWarnings("unchecked")
        var exec = (List<ExecCommandStruct>) props.get("ExecStart").value.getValue();
        assertThat(exec.getFirst().path).isEqualTo("/usr/bin/qemu-system-x86_64");
        assertThat(exec.getFirst().argv).containsExactly("/usr/bin/qemu-system-x86_64", "-name", "web");
        assertThat(props.get("Environment").value.getSig()).isEqualTo("as");
        assertThat(props.get("Environment").value.getValue()).isEqualTo(List.of("A=1", "B=2"));
        assertThat(props.get("StandardOutputFileToAppend").value.getValue()).isEqualTo("/srv/p/web.log");
        assertThat(props.get("StandardErrorFileToTruncate").value.getValue()).isEqualTo("/srv/p/web.err");
        assertThat(props.get("KillMode").value.getValue()).isEqualTo("mixed");
        assertThat(props.get("TimeoutStopUSec").value.getValue()).isEqualTo(new UInt64(90_000_000L));
        assertThat(props.get("CollectMode").value.getValue()).isEqualTo("inactive-or-failed");
        assertThat(props.get("Type").value.getValue()).isEqualTo("exec");
        assertThat(props.get("WorkingDirectory").value.getValue()).isEqualTo("/srv/p");
        assertThat(props.get("Description").value.getValue()).isEqualTo("web VM");
    }

    @Test
    void dollarSignsReachTheProgramAsTheyAreWrittenBecauseSystemdWouldExpandThem() {
        var unit = TransientUnit.service("qc-web.service", List.of("/usr/bin/qemu-system-x86_64", "-drive",
                        "file=/home/u/my${HOME}$dir/disk.qcow2"))
                .execStartPre(new ControlCommand(List.of("/bin/sh", "-c", "echo \"$1\"", "sh", "/srv/$x"), true))
                .execStopPost(new ControlCommand(List.of("/bin/sh", "-c", "rm -f -- \"$1\"", "sh", "/srv/p"), true))
                .build();

        Map<String, PropertyStruct> props = TransientUnitProperties.of(unit).stream()
                .collect(Collectors.toMap(p -> p.name, p -> p));

        assertThat(exec(props, "ExecStart").argv)
                .containsExactly("/usr/bin/qemu-system-x86_64", "-drive", "file=/home/u/my$${HOME}$$dir/disk.qcow2");
        ExecCommandStruct pre = exec(props, "ExecStartPre");
        assertThat(pre.path).isEqualTo("/bin/sh");
        assertThat(pre.argv).containsExactly("/bin/sh", "-c", "echo \"$$1\"", "sh", "/srv/$$x");
        assertThat(pre.ignoreFailure).isTrue();
        assertThat(exec(props, "ExecStopPost").argv).containsExactly("/bin/sh", "-c", "rm -f -- \"$$1\"", "sh", "/srv/p");
        assertThat(props.get("ExecStopPost").value.getSig()).isEqualTo("a(sasb)");
    }

    @Test
    void aUnitWithoutExtraCommandsSendsNoEmptyExecLists() {
        var names = TransientUnitProperties.of(TransientUnit.service("qc-web.service", List.of("/bin/true")).build())
                .stream().map(p -> p.name).toList();
        assertThat(names).contains("ExecStart").doesNotContain("ExecStartPre", "ExecStopPost");
    }

    @SuppressWarnings("unchecked")
    private static ExecCommandStruct exec(Map<String, PropertyStruct> props, String name) {
        var commands = (List<ExecCommandStruct>) props.get(name).value.getValue();
        assertThat(commands).hasSize(1);
        return commands.getFirst();
    }
}
