package io.qemucompose.convert.kubevirt;

import static io.qemucompose.convert.kubevirt.KubeObjects.map;

import io.qemucompose.desired.GuestMounts;
import io.qemucompose.driver.cloudinit.RenderedSeed;
import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.spec.ByteSize;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Healthcheck;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.PortMapping;
import io.qemucompose.spec.RestartPolicy;
import io.qemucompose.spec.VmSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One VM's objects: the cloud-init Secret, the {@code VirtualMachine} and, with {@code ports:}, its Service. */
final class VirtualMachineManifests {

    /** CDI needs a size for an imported disk; the image's own size is not known without downloading it. */
    static final ByteSize DEFAULT_ROOT_DISK = ByteSize.ofGibibytes(10);
    static final String POD_NETWORK = "default";

    private final ComposeProject project;
    private final Map<String, String> networkNames;
    private final Map<String, String> volumeNames;
    private final boolean podNetworkOnly;
    private final Consumer<ConversionWarning> warn;

    VirtualMachineManifests(ComposeProject project, Map<String, String> networkNames, Map<String, String> volumeNames,
            boolean podNetworkOnly, Consumer<ConversionWarning> warn) {
        this.project = project;
        this.networkNames = networkNames;
        this.volumeNames = volumeNames;
        this.podNetworkOnly = podNetworkOnly;
        this.warn = warn;
    }

    List<Manifest> of(VmSpec vm, RenderedSeed seed) {
        String path = "vms." + vm.name();
        List<Manifest> out = new ArrayList<>();
        String secret = vm.name() + "-cloudinit";
        out.add(new Manifest("Secret", secret, cloudInitSecret(vm, seed, secret)));
        out.add(new Manifest("VirtualMachine", vm.name(), virtualMachine(vm, path, seed, secret)));
        if (!vm.ports().isEmpty()) {
            out.add(new Manifest("Service", vm.name(), service(vm, path)));
        }
        if (vm.os() != io.qemucompose.spec.GuestOs.LINUX) {
            // the cross-platform-actions images read the project key from a FAT disk, not cloud-init
            warn.accept(new ConversionWarning(path + ".os", vm.os().id() + " images have no cloud-init: the"
                    + " cloudInitNoCloud disk is ignored and the guest gets no SSH key; build an image with"
                    + " cloud-init (or the key baked in) for KubeVirt"));
        }
        vm.sshPort().ifPresent(port -> warn.accept(new ConversionWarning(path + ".ssh.port", "host port " + port
                + " forwards to SSH only on this host; on KubeVirt use `virtctl ssh` or `virtctl port-forward vm/"
                + vm.name() + " " + port + ":22`")));
        vm.dependsOn().keySet().forEach(other -> warn.accept(new ConversionWarning(path + ".depends_on." + other,
                "KubeVirt starts VMs in no order; " + vm.name() + " must wait for " + other
                        + " itself (e.g. a provision step that retries until it answers)")));
        return out;
    }

    /**
     * Every seed holds the project's SSH key and, with {@code password:}, its hash: a Secret, not the
     * VM object that anyone who may list VMs can read.
     */
    private Map<String, Object> cloudInitSecret(VmSpec vm, RenderedSeed seed, String name) {
        List<GuestMounts.VolumeDisk> blank = GuestMounts.of(vm).disks().stream().filter(d -> !d.readOnly()).toList();
        return KubeObjects.object("v1", "Secret", name, KubeObjects.labels(project.name(), vm.name()),
                "type", "Opaque",
                "stringData", map("userdata", CloudInitUserData.of(seed.userData(), blank),
                        "networkdata", seed.networkConfig().orElse(null)));
    }

    private Map<String, Object> virtualMachine(VmSpec vm, String path, RenderedSeed seed, String secret) {
        String rootDisk = vm.name() + "-rootdisk";
        List<Object> disks = new ArrayList<>();
        List<Object> volumes = new ArrayList<>();
        disks.add(map("name", "rootdisk", "disk", map("bus", "virtio")));
        volumes.add(map("name", "rootdisk", "dataVolume", map("name", rootDisk)));
        disks.add(map("name", "cloudinitdisk", "disk", map("bus", "virtio")));
        volumes.add(map("name", "cloudinitdisk", "cloudInitNoCloud", map("secretRef", map("name", secret),
                "networkDataSecretRef", seed.networkConfig().isPresent() ? map("name", secret) : null)));
        for (int i = 0; i < vm.volumes().size(); i++) {
            switch (vm.volumes().get(i)) {
                case Mount.NamedVolumeMount v -> {
                    String disk = "volume-" + volumeNames.get(v.volume());
                    GuestMounts.VolumeDisk guest = GuestMounts.of(vm).disks().stream()
                            .filter(d -> d.volume().equals(v.volume())).findFirst().orElseThrow();
                    // the serial gives the guest the /dev/disk/by-id/virtio-<serial> path the seed mounts
                    disks.add(map("name", disk, "serial", guest.serial(),
                            "disk", map("bus", "virtio", "readonly", v.readOnly() ? true : null)));
                    volumes.add(map("name", disk, "dataVolume", map("name", volumeNames.get(v.volume()))));
                }
                case Mount.BindMount b -> warn.accept(new ConversionWarning(path + ".volumes[" + i + "]",
                        "a host folder shared over 9p onto " + b.target() + " has no KubeVirt equivalent (the guest's"
                                + " mount of it fails quietly): put the files in a named volume, or copy them with a"
                                + " provision step of type file"));
            }
        }

        List<Object> interfaces = new ArrayList<>();
        List<Object> networks = new ArrayList<>();
        // the same MACs as locally: the seed's network-config matches NICs by MAC
        interfaces.add(map("name", POD_NETWORK, "masquerade", map(),
                "macAddress", MacAddresses.userNic(project.name(), vm.name())));
        networks.add(map("name", POD_NETWORK, "pod", map()));
        if (!podNetworkOnly) {
            for (String network : vm.networks()) {
                String name = networkNames.get(network);
                interfaces.add(map("name", name, "bridge", map(),
                        "macAddress", MacAddresses.of(project.name(), vm.name(), network)));
                networks.add(map("name", name, "multus", map("networkName", name)));
            }
        }

        Map<String, Object> spec = map(
                "domain", map(
                        "cpu", map("cores", vm.cpu()),
                        "resources", map("requests", map("memory", Quantities.mebibytes(vm.memoryMb()))),
                        "devices", map("disks", disks, "interfaces", interfaces)),
                "networks", networks,
                "readinessProbe", vm.healthcheck().map(h -> readinessProbe(h, path)).orElse(null),
                "volumes", volumes);
        return KubeObjects.object("kubevirt.io/v1", "VirtualMachine", vm.name(),
                KubeObjects.labels(project.name(), vm.name()),
                "spec", map(
                        "runStrategy", runStrategy(vm.restart()),
                        "dataVolumeTemplates", List.of(map(
                                "metadata", map("name", rootDisk, "labels", KubeObjects.labels(project.name(), vm.name())),
                                "spec", rootDiskSpec(vm, path))),
                        "template", map(
                                "metadata", map("labels", KubeObjects.selector(project.name(), vm.name())),
                                "spec", spec)));
    }

    private Map<String, Object> rootDiskSpec(VmSpec vm, String path) {
        ByteSize size = vm.diskSize().orElseGet(() -> {
            warn.accept(new ConversionWarning(path + ".disk.size", "not set: the root disk requests "
                    + Quantities.of(DEFAULT_ROOT_DISK) + " (the image's own size is not known before it is imported);"
                    + " set disk.size to choose"));
            return DEFAULT_ROOT_DISK;
        });
        Map<String, Object> source;
        if (vm.image().isLocal()) {
            source = map("upload", map());
            warn.accept(new ConversionWarning(path + ".image", "a local file cannot be imported over HTTP: upload it"
                    + " with `virtctl image-upload dv " + vm.name() + "-rootdisk --no-create --image-path="
                    + vm.image().location().getPath() + "`"));
        } else {
            source = map("http", map("url", vm.image().location().toString()));
        }
        vm.image().checksum().ifPresent(c -> warn.accept(new ConversionWarning(path + ".image_checksum",
                "CDI's HTTP importer does not check it; verify the image before you serve it, or pin it in a registry")));
        return map("source", source, "storage", map("resources", map("requests", map("storage", Quantities.of(size)))));
    }

    /**
     * docker's {@code restart:} against KubeVirt's run strategies: {@code no} runs once (not restarted
     * however it ends); {@code unless-stopped} is {@code Always}, since {@code virtctl stop} sets the
     * strategy to {@code Halted} and so is respected.
     */
    static String runStrategy(RestartPolicy restart) {
        return switch (restart) {
            case NO -> "Once";
            case ON_FAILURE -> "RerunOnFailure";
            case ALWAYS, UNLESS_STOPPED -> "Always";
        };
    }

    private Map<String, Object> readinessProbe(Healthcheck check, String path) {
        warn.accept(new ConversionWarning(path + ".healthcheck", "becomes an exec readinessProbe, which KubeVirt runs"
                + " through the QEMU guest agent: the image must run qemu-guest-agent, or the VM never turns ready"));
        List<String> command = check.shell() ? List.of("/bin/sh", "-c", String.join(" ", check.test())) : check.test();
        return map(
                "exec", map("command", command),
                "initialDelaySeconds", check.startPeriod().isZero() ? null : seconds(check.startPeriod()),
                "periodSeconds", seconds(check.interval()),
                "timeoutSeconds", seconds(check.timeout()),
                "failureThreshold", check.retries());
    }

    /** Whole seconds, at least 1 (Kubernetes probes count in seconds). */
    private static int seconds(Duration duration) {
        long rounded = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, rounded));
    }

    /** {@code ports:} become a ClusterIP Service: reachable inside the cluster, not beyond it, unless asked. */
    private Map<String, Object> service(VmSpec vm, String path) {
        List<Object> ports = new ArrayList<>();
        for (int i = 0; i < vm.ports().size(); i++) {
            PortMapping p = vm.ports().get(i);
            ports.add(map("name", p.protocol() + "-" + p.hostPort(), "protocol", p.protocol().name(),
                    "port", p.hostPort(), "targetPort", p.guestPort()));
            if (!p.hostIp().startsWith("127.")) {
                warn.accept(new ConversionWarning(path + ".ports[" + i + "]", "published on " + p.hostIp()
                        + " on this host; the Service is ClusterIP (inside the cluster only): expose it with a"
                        + " LoadBalancer or NodePort Service, or an Ingress, if that is meant"));
            }
        }
        return KubeObjects.object("v1", "Service", vm.name(), KubeObjects.labels(project.name(), vm.name()),
                "spec", map("type", "ClusterIP", "selector", KubeObjects.selector(project.name(), vm.name()),
                        "ports", ports));
    }
}
