package io.qemucompose.driver.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qemucompose.spec.HostUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's bootcmd ({@link SeedRenderer#ENSURE_IDS}) with the real groupadd/useradd/usermod, on a
 * copy of this machine's /etc bind-mounted over /etc in a private mount namespace: the host's users
 * and groups are never touched. Needs root (unshare --mount); skipped otherwise.
 */
class EnsureIdsScriptTest {

    @TempDir
    Path dir;

    @Test
    void createsThePrimaryGroupThenMovesAnExistingUserToNewIds() throws Exception {
        assumeTrue(HostUser.current().isRoot(), "needs root for unshare --mount");
        Path script = dir.resolve("ensure-ids");
        Files.writeString(script, SeedRenderer.ENSURE_IDS);
        String steps = String.join("\n",
                "set -e",
                "cp -a /etc " + dir + "/etc && mount --bind " + dir + "/etc /etc",
                // first boot: no group 4343, no user; the bootcmd makes the group, cloud-init then runs useradd
                "sh " + script + " qctuser 4242 4343",
                "useradd qctuser --uid 4242 --gid 4343 --no-create-home",
                "echo first=$(id -u qctuser):$(id -g qctuser):$(getent group 4343 | cut -d: -f1)",
                // a later instance asks for other ids: the existing user moves to them
                "sh " + script + " qctuser 4244 4345",
                "echo moved=$(id -u qctuser):$(id -g qctuser)",
                // and a boot with the same ids changes nothing
                "sh " + script + " qctuser 4244 4345",
                "echo again=$(id -u qctuser):$(id -g qctuser)");
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", steps)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).containsSubsequence("first=4242:4343:qctuser", "moved=4244:4345",
                "again=4244:4345");
        assertThat(hostHasNo("qctuser")).isTrue();
    }

    private static boolean hostHasNo(String user) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().noneMatch(l -> l.startsWith(user + ":"));
    }
}
