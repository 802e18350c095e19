package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.spec.Provision;
import io.qemucompose.spec.VmSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a VM's {@code environment:} and {@code provision:} steps into its cloud-init seed. Each
 * shell step becomes a script under {@value #DIR} run by {@code runcmd} in file order, with the
 * environment exported, so it runs once per cloud-init instance and before the VM counts as
 * ready (readiness waits for cloud-init to finish). A failing step makes cloud-init report an
 * error, which readiness reports as a failed VM. The environment is also exported to login shells.
 */
final class ProvisionSeed {

    static final String DIR = "/var/lib/qemu-compose/provision";
    static final String PROFILE = "/etc/profile.d/qemu-compose-environment.sh";

    private ProvisionSeed() {}

    /** One provision step as the guest gets it: a script run as root, or a file written. */
    sealed interface Step {
        /** @param path where the seed puts the script; {@code text} is all of it, environment included */
        record Script(String path, String text) implements Step {}

        record Copy(String destination, String text) implements Step {}
    }

    static CloudInitConfig with(CloudInitConfig config, VmSpec vm) {
        if (!vm.environment().isEmpty()) {
            config = config.withWriteFile(new CloudInitConfig.WriteFile(PROFILE, exports(vm.environment()), "0644"));
        }
        for (Step step : steps(vm)) {
            config = switch (step) {
                case Step.Script s -> config.withWriteFile(new CloudInitConfig.WriteFile(s.path(), s.text(), "0755"))
                        .withRuncmd("/bin/sh " + s.path());
                case Step.Copy c -> config.withWriteFile(new CloudInitConfig.WriteFile(c.destination(), c.text(), "0644"));
            };
        }
        return config;
    }

    /** The VM's steps in file order, read from the host now: what the seed holds and {@code provision} re-runs. */
    static List<Step> steps(VmSpec vm) {
        String exports = exports(vm.environment());
        List<Step> out = new ArrayList<>();
        int step = 0;
        for (Provision p : vm.provision()) {
            step++;
            out.add(switch (p) {
                case Provision.InlineShell inline -> script(step, exports, inline.script());
                case Provision.ShellScript file -> script(step, exports, read(file.script()));
                case Provision.FileCopy copy -> new Step.Copy(copy.destination(), read(copy.source()));
            });
        }
        return out;
    }

    private static Step script(int step, String exports, String body) {
        String path = String.format("%s/%02d.sh", DIR, step);
        String text = "#!/bin/sh\nset -e\n" + exports + body + (body.endsWith("\n") ? "" : "\n");
        return new Step.Script(path, text);
    }

    static String exports(Map<String, String> environment) {
        StringBuilder sb = new StringBuilder();
        environment.forEach((k, v) -> sb.append("export ").append(k).append("='")
                .append(v.replace("'", "'\\''")).append("'\n"));
        return sb.toString();
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read provisioning file " + file + ": " + e.getMessage(), e);
        }
    }
}
