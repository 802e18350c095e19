package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.ShellWords;
import io.qemucompose.driver.ssh.SshClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import io.qemucompose.spec.VmSpec;

/**
 * {@code provision}: runs a VM's provision steps again over SSH, the same steps its seed holds
 * ({@link ProvisionSeed#steps}), as root and in file order, each script with {@code set -e} and the
 * VM's environment. The first failing step ends that VM's run; its exit status is the result.
 */
public final class ProvisionRerun {

    /** A step's remote command and a short name for it in messages. */
    record RemoteStep(String label, String command) {
    }

    private final SshClient ssh;
    private final Duration stepTimeout;

    public ProvisionRerun(SshClient ssh, Duration stepTimeout) {
        this.ssh = ssh;
        this.stepTimeout = stepTimeout;
    }

    /** How many steps the VM has (0: nothing to run). */
    public static int stepCount(VmSpec vm) {
        return vm.provision().size();
    }

    /**
     * Runs the steps and returns 0, or the exit status of the step that failed (255 when SSH
     * itself failed). Each output line goes to {@code out}; a failure is also said there.
     */
    public int run(VmSpec vm, SshClient.Target target, Consumer<String> out) {
        for (RemoteStep step : remoteSteps(vm)) {
            int code;
            try {
                code = ssh.execStreaming(target, step.command(), out, out, stepTimeout);
            } catch (RuntimeException e) {
                out.accept(step.label() + ": " + e.getMessage());
                return 255;
            }
            if (code != 0) {
                out.accept(step.label() + " failed (exit " + code + ")");
                return code;
            }
        }
        return 0;
    }

    static List<RemoteStep> remoteSteps(VmSpec vm) {
        List<RemoteStep> out = new ArrayList<>();
        int n = 0;
        for (ProvisionSeed.Step step : ProvisionSeed.steps(vm)) {
            n++;
            out.add(switch (step) {
                case ProvisionSeed.Step.Script s -> new RemoteStep("step " + n,
                        "sudo /bin/sh -c " + ShellWords.quote(s.text()));
                case ProvisionSeed.Step.Copy c -> new RemoteStep("step " + n + " (copy to " + c.destination() + ")",
                        copyCommand(c));
            });
        }
        return out;
    }

    /** Writes the file as cloud-init's write_files does (0644, parent folders made), the content in base64. */
    private static String copyCommand(ProvisionSeed.Step.Copy c) {
        String dest = ShellWords.quote(c.destination());
        String parent = ShellWords.quote(parentOf(c.destination()));
        String data = Base64.getEncoder().encodeToString(c.text().getBytes(StandardCharsets.UTF_8));
        return "sudo mkdir -p " + parent + " && printf %s " + data + " | base64 -d | sudo tee " + dest
                + " >/dev/null && sudo chmod 0644 " + dest;
    }

    private static String parentOf(String guestPath) {
        Path parent = Path.of(guestPath).getParent();
        return parent == null ? "/" : parent.toString();
    }
}
