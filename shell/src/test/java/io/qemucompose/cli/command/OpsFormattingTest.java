package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.cli.UserFacingException;
import io.qemucompose.health.Health;
import io.qemucompose.status.VmState;
import io.qemucompose.status.VmStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of the operating commands: sizes, tables, quoting, log tailing, --since. */
class OpsFormattingTest {

    @TempDir
    Path dir;

    @Test
    void sizesReadLikeTheSeed() {
        assertThat(HumanSizes.of(472_088_166L)).isEqualTo("450.2 MB");
        assertThat(HumanSizes.of(512)).isEqualTo("512 B");
        assertThat(HumanSizes.compact(8L << 30)).isEqualTo("8G");
        assertThat(HumanSizes.compact(5L << 29)).isEqualTo("2.5G");
        assertThat(HumanSizes.compact(512L << 20)).isEqualTo("512M");
    }

    @Test
    void psTableHasTheSeedColumnsInOrder() {
        var rows = List.of(
                new VmStatus("web", VmState.READY, "", List.of(), 2, 1024, OptionalLong.of(2L << 30),
                        "qemu-compose-p-web", Optional.of(2222), true),
                new VmStatus("db", VmState.NOT_CREATED, "", List.of(), 1, 512, OptionalLong.empty(),
                        "qemu-compose-p-db", Optional.empty(), true));
        assertThat(PsCommand.table(rows)).isEqualTo("""
                NAME                 STATUS          IP ADDRESS      CPU        MEMORY     DISK       SYSTEMD UNIT
                %s
                web                  ready           -               2          1024       2G         qemu-compose-p-web
                db                   not-created     -               1          512        -          qemu-compose-p-db
                """.formatted("-".repeat(110)));
    }

    @Test
    void psShowsHealthNextToTheStateOnlyForVmsWithAHealthcheck() {
        var rows = List.of(
                new VmStatus("web", VmState.READY, "", List.of(), 2, 1024, OptionalLong.of(2L << 30),
                        "qemu-compose-p-web", Optional.of(2222), true, Optional.of(Health.HEALTHY)),
                new VmStatus("db", VmState.STARTING, "", List.of(), 1, 512, OptionalLong.of(2L << 30),
                        "qemu-compose-p-db", Optional.of(2223), true, Optional.of(Health.STARTING)),
                new VmStatus("cache", VmState.READY, "", List.of(), 1, 512, OptionalLong.of(2L << 30),
                        "qemu-compose-p-cache", Optional.of(2224), true));
        assertThat(PsCommand.table(rows)).isEqualTo("""
                NAME                 STATUS                      IP ADDRESS      CPU        MEMORY     DISK       SYSTEMD UNIT
                %s
                web                  ready (healthy)             -               2          1024       2G         qemu-compose-p-web
                db                   starting (health: starting) -               1          512        2G         qemu-compose-p-db
                cache                ready                       -               1          512        2G         qemu-compose-p-cache
                """.formatted("-".repeat(110)));
        assertThat(PsCommand.json(rows.get(0))).containsEntry("status", "ready").containsEntry("health", "healthy");
        assertThat(PsCommand.json(rows.get(2))).doesNotContainKey("health");
    }

    @Test
    void severalCommandWordsAreQuotedForTheRemoteShell() {
        assertThat(SshCommand.shellQuote("exit 7")).isEqualTo("'exit 7'");
        assertThat(SshCommand.shellQuote("-c")).isEqualTo("-c");
        assertThat(SshCommand.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(SshCommand.shellQuote("")).isEqualTo("''");
    }

    @Test
    void sshConfigBlockQuotesPaths() {
        var access = new SshAccess("web", "127.0.0.1", 2222, "debian", Path.of("/p q/.qemu-compose/ssh/id_ed25519"),
                Path.of("/p q/.qemu-compose/ssh/known_hosts"));
        assertThat(access.configBlock()).isEqualTo("""
                Host web
                  HostName 127.0.0.1
                  Port 2222
                  User debian
                  IdentityFile "/p q/.qemu-compose/ssh/id_ed25519"
                  UserKnownHostsFile "/p q/.qemu-compose/ssh/known_hosts"
                  StrictHostKeyChecking accept-new
                  IdentitiesOnly yes
                """);
    }

    @Test
    void logFileTailsAndFollowsCompleteLinesOnly() throws Exception {
        Path log = dir.resolve("console.log");
        Files.writeString(log, "one\r\ntwo\nthree\n");
        LogFile f = new LogFile(log, "");
        assertThat(f.history(2)).containsExactly("two", "three");
        f.skipToEnd();
        Files.writeString(log, "four\nfi", StandardOpenOption.APPEND);
        assertThat(f.readNew()).containsExactly("four");
        Files.writeString(log, "ve\n", StandardOpenOption.APPEND);
        assertThat(f.readNew()).containsExactly("five");
        Files.write(log, "new boot\n".getBytes(StandardCharsets.UTF_8)); // truncated: read from the start
        assertThat(f.readNew()).containsExactly("new boot");
    }

    @Test
    void sinceTakesDurationsAndInstants() {
        Instant now = Instant.parse("2026-01-31T12:00:00Z");
        assertThat(LogsCommand.parseSince("10m", now)).isEqualTo(Instant.parse("2026-01-31T11:50:00Z"));
        assertThat(LogsCommand.parseSince("2026-01-30T00:00:00Z", now)).isEqualTo(Instant.parse("2026-01-30T00:00:00Z"));
        assertThatThrownBy(() -> LogsCommand.parseSince("yesterday", now)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("--since");
    }
}
