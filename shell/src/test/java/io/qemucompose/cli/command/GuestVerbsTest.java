package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.cli.UserFacingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The argument parsing of qmp and cp, which runs before any VM is touched. */
class GuestVerbsTest {

    @Test
    void qmpArgumentsMustBeOneJsonObject() {
        assertThat(QmpCommand.parseArguments(null)).isEmpty();
        assertThat(QmpCommand.parseArguments("{\"device\": \"disk0\", \"n\": 2}")).isEqualTo(Map.of("device", "disk0", "n", 2));
        assertThatThrownBy(() -> QmpCommand.parseArguments("[1]")).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> QmpCommand.parseArguments("{device")).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void cpTellsAGuestPathFromAHostPath() {
        assertThat(CpCommand.GuestPath.parse("web:/etc/hostname")).isEqualTo(new CpCommand.GuestPath("web", "/etc/hostname"));
        assertThat(CpCommand.GuestPath.parse("./a:b")).isNull();
        assertThat(CpCommand.GuestPath.parse("/tmp/x:y")).isNull();
        assertThat(CpCommand.GuestPath.parse("notes.txt")).isNull();
        assertThatThrownBy(() -> CpCommand.GuestPath.parse("web:etc/hostname")).hasMessageContaining("must be absolute");
    }
}
