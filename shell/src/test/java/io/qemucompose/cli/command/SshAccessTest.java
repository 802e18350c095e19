package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.cli.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the real OpenSSH client makes of {@code ssh-config}'s output and {@code ssh}'s options:
 * {@code ssh -G} prints the configuration it parsed, without connecting anywhere.
 */
class SshAccessTest {

    @TempDir
    Path tmp;

    private static SshAccess access(Path project) {
        Path ssh = project.resolve(".qemu-compose/ssh");
        return new SshAccess("web", "127.0.0.1", 2222, "debian", ssh.resolve("id_ed25519"), ssh.resolve("known_hosts"));
    }

    @Test
    void aFolderNameCannotAddLinesToTheSshConfig() throws Exception {
        Path project = tmp.resolve("x\"\n  ProxyCommand touch " + tmp.resolve("pwned") + "\n#");

        assertThatThrownBy(() -> access(project).configBlock())
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("control character").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> access(project).options()).isInstanceOf(UserFacingException.class);
    }

    @Test
    void sshReadsBackTheExactPathsFromTheConfigBlock() throws Exception {
        Path project = tmp.resolve("my \"odd\" \\ 100% ~ 'project'");
        SshAccess access = access(project);
        Path config = Files.writeString(tmp.resolve("config"), access.configBlock());

        Map<String, String> parsed = sshG(List.of("-F", config.toString(), "web"));

        assertThat(parsed.get("userknownhostsfile")).isEqualTo(access.knownHosts().toString());
        // ssh -G shows IdentityFile before its %-expansion
        assertThat(parsed.get("identityfile")).isEqualTo(access.identityFile().toString().replace("%", "%%"));
        assertThat(parsed.get("port")).isEqualTo("2222");
        assertThat(parsed.get("user")).isEqualTo("debian");
        assertThat(parsed).doesNotContainKey("proxycommand");
    }

    @Test
    void aBridgeBlockInRootlessModeCarriesTheProxyCommandThatSshRuns() throws Exception {
        SshAccess bridge = access(tmp.resolve("p")).onBridge("back", "172.16.0.9", java.util.Optional.of(
                "/usr/bin/nsenter --target 4242 --user --net --preserve-credentials -- /usr/bin/socat - TCP:%h:%p"));
        Path config = Files.writeString(tmp.resolve("config"), bridge.configBlock());

        Map<String, String> parsed = sshG(List.of("-F", config.toString(), "web.back"));

        assertThat(parsed.get("hostname")).isEqualTo("172.16.0.9");
        assertThat(parsed.get("port")).isEqualTo("22");
        assertThat(parsed.get("proxycommand")).isEqualTo(
                "/usr/bin/nsenter --target 4242 --user --net --preserve-credentials -- /usr/bin/socat - TCP:%h:%p");
    }

    @Test
    void theKnownHostsOptionIsOneFileEvenWithSpaces() throws Exception {
        // unquoted, "-o UserKnownHostsFile=/t/demo ~/.qemu-compose/ssh/known_hosts" is two files, the
        // second one ~/.qemu-compose/ssh/known_hosts in the home folder: accept-new would write there
        Path project = tmp.resolve("demo ~");
        SshAccess access = access(project);
        List<String> argv = new ArrayList<>(List.of("-F", "/dev/null"));
        argv.addAll(access.options());
        argv.add("web");

        Map<String, String> parsed = sshG(argv);

        assertThat(parsed.get("userknownhostsfile")).isEqualTo(access.knownHosts().toString());
        assertThat(parsed.get("stricthostkeychecking")).isEqualTo("accept-new");
    }

    /** {@code ssh -G ARGS}: keyword (lower case) → value as ssh parsed it, first occurrence. */
    private static Map<String, String> sshG(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh", "-G"));
        command.addAll(args);
        Process ssh = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(ssh.getInputStream().readAllBytes());
        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ssh.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.contains(" "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), l -> l.substring(l.indexOf(' ') + 1),
                        (first, later) -> first));
    }
}
