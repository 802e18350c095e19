package io.qemucompose.driver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Parallel readiness probes record host keys while a destroy forgets others: no line may be lost or torn. */
class KnownHostsConcurrencyTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void hostKeysRecordedWhileOthersAreForgottenAreAllKept() throws Exception {
        Path knownHosts = Files.createDirectories(tmp.resolve("ssh")).resolve("known_hosts");
        SshClient client = new SshClient(knownHosts);
        int forgotten = 40;
        int recorded = 200;
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < forgotten; i++) {
            initial.append("[127.0.0.1]:").append(30000 + i).append(" ssh-ed25519 ")
                    .append(new HostKey("x", key(i)).getKey()).append('\n');
        }
        Files.writeString(knownHosts, initial);

        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        try (var threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < forgotten; i++) {
                int port = 30000 + i;
                tasks.add(threads.submit(() -> {
                    go.await();
                    client.forgetHost("127.0.0.1", port);
                    return null;
                }));
            }
            for (int i = 0; i < recorded; i++) {
                String host = "[127.0.0.1]:" + (40000 + i);
                byte[] key = key(1000 + i);
                tasks.add(threads.submit(() -> {
                    go.await();
                    assertThat(new AcceptNewHostKeys(NOTHING_KNOWN, knownHosts).check(host, key))
                            .isEqualTo(HostKeyRepository.OK);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> task : tasks) {
                task.get();
            }
        }

        List<String> lines = Files.readAllLines(knownHosts, StandardCharsets.US_ASCII);
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("\\[127\\.0\\.0\\.1]:4\\d{4} ssh-ed25519 \\S+"));
        assertThat(lines).hasSize(recorded).doesNotHaveDuplicates();
        try (var files = Files.list(knownHosts.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("known_hosts"));
        }
    }

    /** An ssh-ed25519 public key blob (RFC 8709) with 32 key bytes derived from {@code seed}. */
    private static byte[] key(int seed) throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(blob);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        out.writeInt(type.length);
        out.write(type);
        out.writeInt(32);
        for (int i = 0; i < 32; i++) {
            out.writeByte(seed * 31 + i * 7);
        }
        return blob.toByteArray();
    }

    private static final HostKeyRepository NOTHING_KNOWN = new HostKeyRepository() {
        @Override
        public int check(String host, byte[] key) {
            return NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "none";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    };
}
