package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopCommandTest {

    @Test
    void everyLineOfTheGuestsPsIsPrefixedWithItsVm() {
        String ps = "    PID USER         ELAPSED COMMAND\n      1 root           01:02 /sbin/init\n    812 debian         00:01 ps -eo pid,user,etime,args\n";
        assertThat(TopCommand.prefixed("web", ps)).isEqualTo("""
                web |     PID USER         ELAPSED COMMAND
                web |       1 root           01:02 /sbin/init
                web |     812 debian         00:01 ps -eo pid,user,etime,args
                """);
        assertThat(TopCommand.prefixed("web", "")).isEmpty();
    }

    @Test
    void jsonHasOneRowPerProcessWithTheCommandLineWhole() {
        String ps = "    PID USER         ELAPSED COMMAND\n      1 root           01:02 /sbin/init splash\n";
        assertThat(TopCommand.processes("web", ps)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("vm", "web").containsEntry("pid", 1L).containsEntry("user", "root")
                .containsEntry("elapsed", "01:02").containsEntry("command", "/sbin/init splash"));
    }
}
