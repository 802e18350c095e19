package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnc:} in its short and long forms; the password is kept but never described. */
class VncSpecTest {
    @TempDir
    Path dir;

    private Optional<VncSpec> vnc(String value) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, "vms:\n  web:\n    image: ./base.qcow2\n    vnc: " + value + "\n");
        ComposeProject project = new ComposeLoader(Map.of("VNC_PW", "s3cret")).load(ComposeSource.of(file),
                Optional.empty(), ProfileRequest.of(List.of(), List.of()));
        return project.vms().get("web").vnc();
    }

    @Test
    void shortFormsNameAUnixSocketALoopbackDisplayOrTheFirstFreeOne() throws Exception {
        assertThat(vnc("true")).contains(VncSpec.unixSocket(Optional.empty()));
        assertThat(vnc("unix")).contains(VncSpec.unixSocket(Optional.empty()));
        assertThat(vnc("auto")).contains(new VncSpec(Optional.of(OptionalInt.empty()), Optional.empty()));
        assertThat(vnc("7")).contains(new VncSpec(Optional.of(OptionalInt.of(7)), Optional.empty()));
        assertThat(vnc("false")).isEmpty();
    }

    @Test
    void longFormTakesAnInterpolatedPasswordThatDescribeNeverShows() throws Exception {
        VncSpec spec = vnc("{display: auto, password: \"${VNC_PW}\"}").orElseThrow();
        assertThat(spec.password()).contains("s3cret");
        assertThat(spec.describe()).isEqualTo("127.0.0.1:auto (password)").doesNotContain("s3cret");
        assertThat(vnc("{password: abc}").orElseThrow().onUnixSocket()).isTrue();
    }
}
