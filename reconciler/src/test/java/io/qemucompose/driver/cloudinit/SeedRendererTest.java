package io.qemucompose.driver.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.qemucompose.golden.GoldenFile;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Golden files under src/test/resources/io/qemucompose/driver/cloudinit. To accept a deliberate
 * change, run with -Dgolden.update=true and review the diff.
 */
class SeedRendererTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake qemu-compose";

    private final SeedRenderer renderer = new SeedRenderer();

    private static CloudInitConfig full() {
        return CloudInitConfig.of("web", "debian", List.of(KEY))
                .withMount(CloudInitConfig.GuestMount.ninep("vol0", "/etc/myapp", false))
                .withMount(CloudInitConfig.GuestMount.ninep("vol1", "/opt/scripts", true))
                .withMount(CloudInitConfig.GuestMount.diskById("qc-data", "/var/lib/data", "ext4"))
                .withWriteFile(new CloudInitConfig.WriteFile("/etc/motd", "hello\nworld\n", "0644"))
                .withRuncmd("systemctl enable --now nginx");
    }

    @Test
    void oneRendererServesManyThreadsAtOnce() throws Exception {
        // an apply writes its VMs' seeds in parallel through the one renderer Drivers holds
        RenderedSeed expected = renderer.render(full());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<RenderedSeed>> seeds = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                seeds.add(pool.submit(() -> renderer.render(full())));
            }
            for (var seed : seeds) {
                assertThat(seed.get()).isEqualTo(expected);
            }
        }
    }

    @Test
    void minimalSeedMatchesGoldenFiles() throws IOException {
        RenderedSeed seed = renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY)));
        assertGolden("minimal.user-data", seed.userData());
        assertGolden("minimal.meta-data", seed.metaData());
        assertThat(seed.networkConfig()).isEmpty();
    }

    @Test
    void seedWithMountsFilesAndCommandsMatchesGoldenFiles() throws IOException {
        RenderedSeed seed = renderer.render(full());
        assertGolden("full.user-data", seed.userData());
        assertGolden("full.meta-data", seed.metaData());
    }

    @Test
    void networkConfigMatchesNicsByMacAndRenamesThem() throws IOException {
        RenderedSeed seed = renderer.render(CloudInitConfig.of("db", "fedora", List.of(KEY))
                .withNic(CloudInitConfig.NicConfig.dhcp("eth0", "52:54:00:12:34:56"))
                .withNic(new CloudInitConfig.NicConfig("eth1", "52:54:00:ab:cd:ef", Optional.of("172.16.3.10/24"),
                        Optional.of("172.16.3.1"))));
        assertGolden("nics.network-config", seed.networkConfig().orElseThrow());
    }

    @Test
    void bridgeNicsTakeAddressAndDnsFromDhcpButNoRoutes() throws IOException {
        RenderedSeed seed = renderer.render(CloudInitConfig.of("db", "fedora", List.of(KEY))
                .withNic(CloudInitConfig.NicConfig.dhcp("eth0", "52:54:00:12:34:56"))
                .withNic(CloudInitConfig.NicConfig.bridge("eth1", "52:54:00:ab:cd:ef"))
                .withNic(CloudInitConfig.NicConfig.bridge("eth2", "52:54:00:01:02:03")));
        assertGolden("bridges.network-config", seed.networkConfig().orElseThrow());
        assertThat(seed.instanceId()).isNotEqualTo(renderer.render(CloudInitConfig.of("db", "fedora", List.of(KEY))
                .withNic(CloudInitConfig.NicConfig.dhcp("eth0", "52:54:00:12:34:56"))).instanceId());
        assertThatThrownBy(() -> new CloudInitConfig.NicConfig("eth1", "52:54:00:ab:cd:ef", Optional.of("10.0.0.2/24"),
                Optional.empty(), Optional.of(new CloudInitConfig.Dhcp4Overrides(false, true, true))))
                .hasMessageContaining("static address");
    }

    @Test
    void aLoginUserWithTheHostsIdsGetsThemAndABootcmdThatEnsuresThem() throws IOException {
        RenderedSeed seed = renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY))
                .withUserIds(new CloudInitConfig.UserIds(1001, 100)));
        assertGolden("host-ids.user-data", seed.userData());
        Map<String, Object> doc = yaml(seed.userData());
        @SuppressWarnings("unchecked")
        Map<String, Object> user = ((List<Map<String, Object>>) doc.get("users")).getFirst();
        // cloud-init 22.4 passes only strings to useradd: primary_group must be one, uid it converts itself
        assertThat(user).containsEntry("uid", 1001).containsEntry("primary_group", "100");
        assertThat(doc.get("bootcmd")).isEqualTo(List.of(List.of("sh", "-c", SeedRenderer.ENSURE_IDS,
                "qemu-compose-ids", "debian", "1001", "100")));
        assertThat(seed.instanceId()).isNotEqualTo(renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY))
                .withUserIds(new CloudInitConfig.UserIds(1002, 100))).instanceId());
        assertThatThrownBy(() -> new CloudInitConfig.UserIds(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordLoginIsOffByDefault() {
        Map<String, Object> doc = yaml(renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY))).userData());
        assertThat(doc.get("ssh_pwauth")).isEqualTo(false);
        assertThat(doc).doesNotContainKey("chpasswd");
        @SuppressWarnings("unchecked")
        Map<String, Object> user = ((List<Map<String, Object>>) doc.get("users")).getFirst();
        assertThat(user).containsEntry("lock_passwd", true).containsEntry("sudo", "ALL=(ALL) NOPASSWD:ALL")
                .doesNotContainKey("password").doesNotContainKey("plain_text_passwd");
    }

    @Test
    void anExplicitPasswordEnablesPasswordLogin() {
        Map<String, Object> doc = yaml(renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY))
                .withPassword("s3cret")).userData());
        assertThat(doc.get("ssh_pwauth")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("chpasswd"))
                .get("users")).getFirst();
        assertThat(entry).containsEntry("name", "debian").containsEntry("type", "hash");
        String hash = (String) entry.get("password");
        assertThat(hash).startsWith("$6$rounds=" + PasswordHash.ROUNDS + "$");
        assertThat(Sha2Crypt.sha512Crypt("s3cret".getBytes(StandardCharsets.UTF_8), hash)).isEqualTo(hash);
    }

    @Test
    void theSeedNeverHoldsTheClearPassword() {
        String userData = renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY))
                .withPassword("s3cret-Horse")).userData();
        assertThat(userData).doesNotContain("s3cret-Horse");
        // and the same config renders the same seed: a derived salt keeps the instance-id stable
        assertThat(renderer.render(CloudInitConfig.of("web", "debian", List.of(KEY)).withPassword("s3cret-Horse"))
                .userData()).isEqualTo(userData);
    }

    @Test
    void passwordHashIsStandardSha512Crypt() {
        // known answer from glibc's crypt(3) for this salt and rounds
        assertThat(Sha2Crypt.sha512Crypt("correct horse".getBytes(StandardCharsets.UTF_8),
                "$6$rounds=65536$qcSaltSalt012345")).isEqualTo("$6$rounds=65536$qcSaltSalt012345$IR1ZMjVKSp4Kfk9bDScWJczx"
                        + "bL/1k0Z46eEx5X6oNN/IIb2.UING0ngvqFs8Caw4hy0vZrEJ6bQNu6egUG3N0.");
        assertThat(PasswordHash.salt("web\u0000debian")).matches("[./0-9A-Za-z]{16}")
                .isNotEqualTo(PasswordHash.salt("db\u0000debian"));
    }

    @Test
    void aPasswordWithAControlCharacterIsRefused() {
        CloudInitConfig base = CloudInitConfig.of("web", "debian", List.of(KEY));
        assertThatThrownBy(() -> base.withPassword("pw\nroot:owned"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> base.withPassword("pw\u0000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shellWordsQuoteWhatTheShellWouldSplitOrRun() {
        assertThat(ShellWords.quote("/srv/data")).isEqualTo("/srv/data");
        assertThat(ShellWords.quote("/srv/it's'; touch /pwned; '")).isEqualTo("'/srv/it'\\''s'\\''; touch /pwned; '\\'''");
        assertThat(ShellWords.quote("")).isEqualTo("''");
    }

    @Test
    void instanceIdChangesWithUserDataAndOnlyThen() {
        RenderedSeed a = renderer.render(full());
        RenderedSeed same = renderer.render(full());
        RenderedSeed changed = renderer.render(full().withRuncmd("echo one more"));

        assertThat(a.instanceId()).matches("qc-[0-9a-f]{12}").isEqualTo(same.instanceId());
        assertThat(changed.instanceId()).isNotEqualTo(a.instanceId());
        assertThat(a.metaData()).contains("instance-id: " + a.instanceId()).contains("local-hostname: web");
    }

    @Test
    void userDataIsValidYamlStartingWithTheCloudConfigHeader() {
        RenderedSeed seed = renderer.render(full());
        assertThat(seed.userData()).startsWith("#cloud-config\n");
        Map<String, Object> doc = yaml(seed.userData());
        assertThat(doc.get("hostname")).isEqualTo("web");
        assertThat(doc.get("manage_etc_hosts")).isEqualTo(true);
        assertThat((List<?>) doc.get("runcmd")).last().asString().contains(SeedRenderer.PROVISIONED_MARKER);
    }

    @Test
    void valuesThatYaml11WouldNotReadAsStringsAreQuoted() {
        RenderedSeed seed = renderer.render(CloudInitConfig.of("yes", "debian", List.of(KEY))
                .withNic(CloudInitConfig.NicConfig.dhcp("eth0", "52:54:00:12:34:56"))
                .withWriteFile(new CloudInitConfig.WriteFile("/x", "1", "0644")));
        assertThat(seed.userData()).contains("hostname: 'yes'").contains("permissions: '0644'");
        assertThat(seed.networkConfig().orElseThrow()).contains("macaddress: '52:54:00:12:34:56'");
        assertThat(CloudConfigYaml.ambiguousInYaml11("web")).isFalse();
        assertThat(CloudConfigYaml.ambiguousInYaml11("1.5")).isTrue();
        assertThat(CloudConfigYaml.ambiguousInYaml11("off")).isTrue();
    }

    @Test
    void badUserNamesAreRefused() {
        assertThatThrownBy(() -> CloudInitConfig.of("web", "Root; rm", List.of(KEY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultUserFollowsTheImageAndTheOverride() {
        assertThat(DefaultUser.forImage("https://x/Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2")).isEqualTo("fedora");
        assertThat(DefaultUser.forImage("https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img"))
                .isEqualTo("ubuntu");
        assertThat(DefaultUser.forImage("./debian-12-genericcloud-amd64.qcow2")).isEqualTo("debian");
        assertThat(DefaultUser.forImage("CentOS-Stream-GenericCloud-9.qcow2")).isEqualTo("centos");
        assertThat(DefaultUser.forImage("rhel-9.4-x86_64-kvm.qcow2")).isEqualTo("cloud-user");
        assertThat(DefaultUser.forImage("/srv/images/my-appliance.qcow2")).isEqualTo(DefaultUser.FALLBACK);
        assertThat(DefaultUser.resolve("fedora.qcow2", Optional.of("admin"))).isEqualTo("admin");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    private static void assertGolden(String name, String actual) {
        GoldenFile.assertMatches(Path.of("src/test/resources/io/qemucompose/driver/cloudinit", name), actual);
    }
}
