package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import java.util.List;
import java.util.Optional;

/**
 * What a VM may ask for on its guest OS. Everything qemu-compose does inside a guest rests on
 * cloud-init (the user and key, mounts, provisioning) and 9p; the BSDs, Haiku and OmniOS images have
 * neither, so those fields are refused here, at the field, instead of being silently ignored.
 */
final class GuestPlatformRules {

    private GuestPlatformRules() {
    }

    static void check(Fields fields, MapNode vm, String path, GuestOs os, GuestArch arch, List<String> networks,
            List<Mount> mounts, List<Provision> provision, Optional<String> user) {
        if (!os.architectures().contains(arch)) {
            SourceNode at = Fields.get(vm, "platform").or(() -> Fields.get(vm, "os")).orElse(vm);
            fields.problem(at.pos(), path + ".platform", "there is no " + os.id() + " profile for " + arch.platform()
                    + "; " + os.id() + " runs on " + String.join(", ", os.architectures().stream()
                            .map(GuestArch::platform).toList()));
        }
        if (os.cloudInit()) {
            return;
        }
        String why = " on " + os.id() + ": its images have no cloud-init and no 9p (see docs/os-profiles.md)";
        refuse(fields, vm, path, "volumes", !mounts.isEmpty(), "volumes and bind mounts are not supported" + why);
        refuse(fields, vm, path, "provision", !provision.isEmpty(), "provisioning is not supported" + why
                + "; run the steps with `qemu-compose ssh`");
        refuse(fields, vm, path, "networks", !networks.isEmpty(), "bridge networks are not supported" + why
                + "; the VM keeps its user-mode network (ssh, ports)");
        refuse(fields, vm, path, "password", Fields.get(vm, "password").isPresent(),
                "a password is set by cloud-init, not supported" + why);
        refuse(fields, vm, path, "uid", true, "the login user's uid is set by cloud-init, not supported" + why);
        refuse(fields, vm, path, "user", user.isPresent() && !user.get().equals(VmSpec.RUNNER_USER), "the "
                + os.id() + " images log in as '" + VmSpec.RUNNER_USER + "' only (another user would need cloud-init); "
                + "drop user:");
    }

    private static void refuse(Fields fields, MapNode vm, String path, String key, boolean used, String message) {
        if (used) {
            Fields.get(vm, key).ifPresent(n -> fields.problem(n.pos(), path + "." + key, message));
        }
    }
}
