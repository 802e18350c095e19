package io.qemucompose.driver.ssh;

import java.nio.file.Path;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

/**
 * OpenSSH's {@code StrictHostKeyChecking=accept-new} for JSch, which lacks it: an unknown host's
 * key is appended to the project's known_hosts and trusted; a known host presenting a different
 * key is refused. Lookups go to JSch's own known_hosts parser; new lines are appended with
 * O_APPEND under the known_hosts lock ({@link KnownHostsFile}), so parallel probes of several VMs
 * and a {@code destroy} forgetting a host never lose each other's lines.
 */
final class AcceptNewHostKeys implements HostKeyRepository {

    private final HostKeyRepository known;
    private final KnownHostsFile file;

    AcceptNewHostKeys(HostKeyRepository known, Path file) {
        this.known = known;
        this.file = new KnownHostsFile(file);
    }

    @Override
    public int check(String host, byte[] key) {
        int result = known.check(host, key);
        if (result != NOT_INCLUDED) {
            return result;
        }
        try {
            HostKey hostKey = new HostKey(host, key);
            String line = host + " " + hostKey.getType() + " " + hostKey.getKey() + "\n";
            file.append(line);
            return OK;
        } catch (JSchException e) {
            return NOT_INCLUDED; // a key type JSch cannot name: let the connection be refused
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        known.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
        known.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        known.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return known.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return known.getHostKey(host, type);
    }
}
