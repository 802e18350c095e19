package io.qemucompose.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One VM of the project, resolved. Defaults: cpu 2, memory 2048 MB, disk size = the base image's
 * own size (empty), no networks (user-mode networking), restart no.
 *
 * @param networks names of top-level networks, in NIC order (empty = user-mode networking)
 * @param sshPort fixed host port for SSH in user-mode networking (empty = allocated from 2222)
 * @param user login user to create (empty = the image's default user, e.g. debian)
 * @param uid the login user's uid and primary gid (empty = the image's default uid), see {@link GuestUid}
 * @param environment exported to provisioning and healthchecks
 * @param dependsOn keyed by VM name, file order
 * @param profiles the VM is active only when one of these is enabled (empty = always active)
 * @param os the guest OS ({@code os:}, default linux); with {@code arch} it selects the device profile
 * @param arch the guest architecture ({@code platform:}, default the host's)
 * @param replica which instance of the file's VM this is ({@code deploy.replicas}, {@code --scale})
 */
public record VmSpec(String name, ImageRef image, int cpu, long memoryMb, Optional<ByteSize> diskSize,
        List<String> networks, List<Mount> volumes, Optional<Integer> sshPort, Optional<String> user,
        Optional<GuestUid> uid, Optional<String> password, List<PortMapping> ports, Map<String, String> environment,
        List<Provision> provision, Map<String, Dependency> dependsOn, Optional<Healthcheck> healthcheck,
        RestartPolicy restart, List<String> profiles, GuestOs os, GuestArch arch, Optional<VncSpec> vnc, Replica replica) {
    public static final int DEFAULT_CPU = 2;
    public static final long DEFAULT_MEMORY_MB = 2048;

    public VmSpec {
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
        ports = List.copyOf(ports);
        environment = ComposeProject.ordered(environment);
        provision = List.copyOf(provision);
        dependsOn = ComposeProject.ordered(dependsOn);
        profiles = List.copyOf(profiles);
        java.util.Objects.requireNonNull(os, "os");
        java.util.Objects.requireNonNull(arch, "arch");
        vnc = java.util.Objects.requireNonNull(vnc, "vnc");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(replica, "replica");
    }

    /** Instance {@code replica} of this VM: its own name (hence disk, seed, hostname, MAC, SSH port). */
    VmSpec instance(Replica replica, Map<String, Dependency> dependencies) {
        return new VmSpec(replica.instanceName(), image, cpu, memoryMb, diskSize, networks, volumes, sshPort, user,
                uid, password, ports, environment, provision, dependencies, healthcheck, restart, profiles, os, arch, vnc, replica);
    }

    /** The same VM with its image replaced (a short name resolved to its download URL). */
    public VmSpec withImage(ImageRef other) {
        return new VmSpec(name, other, cpu, memoryMb, diskSize, networks, volumes, sshPort, user, uid, password, ports,
                environment, provision, dependsOn, healthcheck, restart, profiles, os, arch, vnc, replica);
    }

    /** The login user of the cross-platform-actions images (the BSDs, Haiku, OmniOS). */
    public static final String RUNNER_USER = "runner";
}
