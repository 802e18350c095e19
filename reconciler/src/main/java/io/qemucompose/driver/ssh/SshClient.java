package io.qemucompose.driver.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;

import io.qemucompose.driver.cloudinit.SeedRenderer;

/**
 * Runs commands in guests over SSH (JSch, Ed25519 with the JDK alone) with the project key,
 * recording host keys in the project's known_hosts with accept-new semantics.
 */
public final class SshClient {

    /** Who to log in as, where. {@code port} is the host port forwarded to the guest's 22. */
    public record Target(String host, int port, String user, Path privateKey) {
    }

    public record ExecResult(int exitCode, String stdout, String stderr) {
    }

    /**
     * Asks whether this boot's provisioning finished, from the files cloud-init keeps in /run (fresh
     * each boot): {@code result.json} appears when its last stage is over, with the errors it met;
     * {@code status.json} while it runs. Only the unclear cases run {@code cloud-init status}, a
     * Python program that takes 3–9 s under TCG: run on every probe it made probes time out and a
     * ready VM never count as ready. An image without cloud-init falls back to the seed's marker.
     */
    static final String PROBE_COMMAND = "if test -e /run/cloud-init/result.json; then "
            + "if grep -q '\"errors\": \\[\\]' /run/cloud-init/result.json; then echo 'status: done'; "
            + "else cloud-init status; fi; "
            + "elif test -e /run/cloud-init/status.json; then echo 'status: running'; "
            + "elif command -v cloud-init >/dev/null 2>&1; then cloud-init status; "
            + "elif test -e " + SeedRenderer.PROVISIONED_MARKER + "; then echo 'status: done'; "
            + "else echo 'status: running'; fi";

    private final Path knownHosts;

    public SshClient(Path knownHosts) {
        this.knownHosts = knownHosts;
    }

    /**
     * Runs {@code command} and waits for it (at most {@code timeout}, connection included).
     *
     * @throws SshConnectException  no SSH conversation possible
     * @throws SshAuthException     the key was refused
     * @throws SshHostKeyException  the host key changed
     */
    public ExecResult exec(Target target, String command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Session session = connect(target, timeout);
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setInputStream(null);
            InputStream out = channel.getInputStream();
            InputStream err = channel.getErrStream();
            channel.connect(remainingMillis(deadline));
            CompletableFuture<String> stdout = drain(out);
            CompletableFuture<String> stderr = drain(err);
            String o = stdout.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            String e = stderr.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            // the exit status arrives just before the channel closes; JSch offers no event for it
            while (!channel.isClosed() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            if (!channel.isClosed()) {
                throw new SshException("'" + command + "' on " + describe(target) + " gave no exit status within "
                        + timeout.toSeconds() + " s");
            }
            return new ExecResult(channel.getExitStatus(), o, e);
        } catch (TimeoutException ex) {
            throw new SshException("'" + command + "' on " + describe(target) + " did not finish within "
                    + timeout.toSeconds() + " s", ex);
        } catch (JSchException | IOException | ExecutionException ex) {
            throw new SshException("cannot run '" + command + "' on " + describe(target) + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SshException("interrupted while running a command on " + describe(target), ex);
        } finally {
            session.disconnect();
        }
    }

    /**
     * Runs {@code command} and hands each line of its stdout and stderr to the sinks as it arrives
     * (from two threads; sinks must be thread-safe). Returns the exit status.
     *
     * @throws SshConnectException  no SSH conversation possible
     * @throws SshAuthException     the key was refused
     */
    public int execStreaming(Target target, String command, Consumer<String> stdoutLines, Consumer<String> stderrLines,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Session session = connect(target, timeout);
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setInputStream(null);
            InputStream out = channel.getInputStream();
            InputStream err = channel.getErrStream();
            channel.connect(remainingMillis(deadline));
            CompletableFuture<String> stdout = drainLines(out, stdoutLines);
            CompletableFuture<String> stderr = drainLines(err, stderrLines);
            stdout.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            stderr.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            while (!channel.isClosed() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            if (!channel.isClosed()) {
                throw new SshException("a command on " + describe(target) + " gave no exit status within "
                        + timeout.toSeconds() + " s");
            }
            return channel.getExitStatus();
        } catch (TimeoutException ex) {
            throw new SshException("a command on " + describe(target) + " did not finish within "
                    + timeout.toSeconds() + " s", ex);
        } catch (JSchException | IOException | ExecutionException ex) {
            throw new SshException("cannot run a command on " + describe(target) + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SshException("interrupted while running a command on " + describe(target), ex);
        } finally {
            session.disconnect();
        }
    }

    /**
     * One quick readiness check: SSH login with the project key AND cloud-init done on this boot.
     * A TCP connect alone proves nothing (QEMU's slirp accepts before sshd exists), so this always
     * logs in. Never throws for a guest that is merely not up yet.
     *
     * @param timeout for the whole probe (connect, login, command); keep it short, callers re-probe
     */
    public Readiness probeReady(Target target, Duration timeout) {
        return probeReady(target, timeout, true);
    }

    /**
     * @param cloudInit false for guests without cloud-init (the BSDs, Haiku, OmniOS): logging in with
     *                  the project key is all there is to wait for
     */
    public Readiness probeReady(Target target, Duration timeout, boolean cloudInit) {
        try {
            ExecResult r = exec(target, cloudInit ? PROBE_COMMAND : "echo 'status: done'", timeout);
            String status = cloudInitStatus(r.stdout());
            return switch (status) {
                case "done", "disabled" -> new Readiness.Ready(); // disabled: nothing will ever run
                case "error", "degraded", "degraded done" -> new Readiness.ProvisioningFailed(status);
                default -> new Readiness.Provisioning(status);
            };
        } catch (SshAuthException e) {
            return new Readiness.KeyRejected(e.getMessage());
        } catch (SshHostKeyException e) {
            throw e; // not a boot phase: a different machine answers on this port
        } catch (SshException e) {
            return new Readiness.Unreachable(e.getMessage());
        }
    }

    /** Forgets the host key recorded for host:port (a destroyed VM's successor will have a new one). */
    public void forgetHost(String host, int port) {
        // not JSch's remove: it rewrites the file in place, unlocked, while probes append to it
        new KnownHostsFile(knownHosts).remove(hostKeyAlias(host, port));
    }

    static String cloudInitStatus(String output) {
        for (String line : output.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("status:")) {
                return l.substring("status:".length()).strip();
            }
        }
        return "unknown";
    }

    private Session connect(Target target, Duration timeout) {
        try {
            JSch jsch = new JSch();
            jsch.addIdentity(target.privateKey().toString());
            Files.createDirectories(knownHosts.toAbsolutePath().getParent());
            if (!Files.exists(knownHosts)) {
                Files.createFile(knownHosts);
            }
            jsch.setKnownHosts(knownHosts.toString());
            jsch.setHostKeyRepository(new AcceptNewHostKeys(jsch.getHostKeyRepository(), knownHosts));
            Session session = jsch.getSession(target.user(), target.host(), target.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            session.connect((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return session;
        } catch (JSchChangedHostKeyException e) {
            throw new SshHostKeyException("the host key of " + describe(target) + " changed since it was recorded in "
                    + knownHosts + "; if the VM was re-created, remove its line there", e);
        } catch (JSchHostKeyException e) {
            throw new SshHostKeyException("host key of " + describe(target) + " refused: " + e.getMessage(), e);
        } catch (JSchException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Auth fail") || message.contains("Auth cancel")) {
                throw new SshAuthException("key " + target.privateKey() + " refused by " + describe(target), e);
            }
            throw new SshConnectException("cannot connect to " + describe(target) + ": " + message, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + knownHosts + ": " + e.getMessage(), e);
        }
    }

    private static String hostKeyAlias(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    private static String describe(Target t) {
        return t.user() + "@" + t.host() + ":" + t.port();
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static CompletableFuture<String> drainLines(InputStream in, Consumer<String> lines) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.accept(line);
                }
                result.complete("");
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

}
