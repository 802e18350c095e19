package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.spec.Provision;
import io.qemucompose.spec.VmSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    static CloudInitConfig with(CloudInitConfig config, VmSpec vm) {
        String exports = exports(vm.environment());
        if (!vm.environment().isEmpty()) {
            config = config.withWriteFile(new CloudInitConfig.WriteFile(PROFILE, exports, "0644"));
        }
        int step = 0;
        for (Provision p : vm.provision()) {
            step++;
            switch (p) {
                case Provision.InlineShell inline -> config = script(config, step, exports, inline.script());
                case Provision.ShellScript file -> config = script(config, step, exports, read(file.script()));
                case Provision.FileCopy copy -> config = config.withWriteFile(
                        new CloudInitConfig.WriteFile(copy.destination(), read(copy.source()), "0644"));
            }
        }
        return config;
    }

    private static CloudInitConfig script(CloudInitConfig config, int step, String exports, String body) {
        String path = String.format("%s/%02d.sh", DIR, step);
        String text = "#!/bin/sh\nset -e\n" + exports + body + (body.endsWith("\n") ? "" : "\n");
        return config.withWriteFile(new CloudInitConfig.WriteFile(path, text, "0755")).withRuncmd("/bin/sh " + path);
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
