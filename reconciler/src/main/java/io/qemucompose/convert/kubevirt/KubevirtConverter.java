package io.qemucompose.convert.kubevirt;

import static io.qemucompose.convert.kubevirt.KubeObjects.map;

import io.qemucompose.apply.VmSeeds;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.spec.SubnetSpec;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code convert --to kubevirt}: a pure function from the compose project (and the project key the
 * seed holds) to KubeVirt manifests. Per VM a {@code VirtualMachine} whose root disk is a
 * DataVolume imported from the image URL, the very cloud-init seed {@code up} writes (in a Secret),
 * the named volumes as blank DataVolumes, {@code ports:} as a Service; bridge networks as Multus
 * {@code NetworkAttachmentDefinition}s. What KubeVirt cannot do as qemu-compose does is a warning
 * naming the field and what to do instead. docs/kubevirt.md has the table.
 */
public final class KubevirtConverter {

    private static final int FIRST_AUTO_SUBNET = (172 << 24) | (16 << 16);
    private final SeedRenderer seeds;
    private final JsonMapper json = JsonMapper.builder().build();

    public KubevirtConverter(SeedRenderer seeds) {
        this.seeds = seeds;
    }

    public KubevirtConversion convert(ComposeProject project, ConvertOptions options) {
        List<ConversionWarning> warnings = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        Map<String, String> networkNames = kubeNames(project.networks().keySet(), "networks");
        Map<String, String> volumeNames = kubeNames(project.volumes().keySet(), "volumes");

        for (NetworkSpec network : project.networks().values()) {
            if (options.podNetworkOnly()) {
                warnings.add(new ConversionWarning("networks." + network.name(), "left out (--pod-network-only): the"
                        + " VMs on it share the pod network instead, where they reach each other by a Service name"
                        + " or pod address, not by VM name"));
            } else {
                manifests.add(networkAttachment(project, network, networkNames.get(network.name()),
                        subnet(project, network, options, warnings)));
            }
        }
        for (VolumeSpec volume : project.volumes().values()) {
            manifests.add(blankVolume(project, volume, volumeNames.get(volume.name()), warnings));
        }
        VirtualMachineManifests vms = new VirtualMachineManifests(project, networkNames, volumeNames,
                options.podNetworkOnly(), warnings::add);
        for (VmSpec vm : project.vms().values()) {
            manifests.addAll(vms.of(vm, VmSeeds.render(project, vm, options.publicKeyLine(), seeds)));
        }
        return new KubevirtConversion(manifests, warnings);
    }

    /** Kubernetes names for compose names; two that would become one name are refused. */
    private static Map<String, String> kubeNames(Iterable<String> composeNames, String section) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> taken = new TreeMap<>();
        for (String name : composeNames) {
            String kube = KubeNames.of(name);
            String earlier = taken.putIfAbsent(kube, name);
            if (earlier != null || kube.isEmpty() || kube.length() > Names.MAX_NAME_LENGTH) {
                throw new KubevirtConversionException(section + "." + name + ": "
                        + (earlier != null ? "becomes the Kubernetes name '" + kube + "', as " + section + "." + earlier
                                + " does (names are lower-cased and '_' becomes '-'); rename one of them"
                                : "is no valid Kubernetes name even lower-cased with '_' as '-'; rename it"));
            }
            out.put(name, kube);
        }
        return out;
    }

    /**
     * A Linux bridge on every node, its name as locally, with host-local IPAM on the network's subnet.
     * KubeVirt's bridge binding hands the pod interface's address to the guest by DHCP, so the seed's
     * DHCP config works unchanged. host-local allocates per node: VMs on several nodes need a
     * cluster-wide IPAM such as whereabouts (docs/kubevirt.md).
     */
    private Manifest networkAttachment(ComposeProject project, NetworkSpec network, String name, String subnet) {
        Map<String, Object> config = map(
                "cniVersion", "0.3.1",
                "name", name,
                "type", "bridge",
                "bridge", Names.bridgeName(project.name(), network.name()),
                "ipam", map("type", "host-local", "subnet", subnet));
        return new Manifest("NetworkAttachmentDefinition", name, KubeObjects.object("k8s.cni.cncf.io/v1",
                "NetworkAttachmentDefinition", name, KubeObjects.labels(project.name(), null),
                "spec", map("config", json.writeValueAsString(config))));
    }

    private static String subnet(ComposeProject project, NetworkSpec network, ConvertOptions options,
            List<ConversionWarning> warnings) {
        if (network.subnet() instanceof SubnetSpec.Fixed fixed) {
            return fixed.toString();
        }
        String leased = options.leasedSubnets().get(network.name());
        if (leased != null) {
            return leased;
        }
        String chosen = freeSubnet(project, network.name());
        warnings.add(new ConversionWarning("networks." + network.name() + ".subnet", "auto, and no subnet was leased"
                + " for it on this host yet: the network uses " + chosen + "; write a subnet to choose"));
        return chosen;
    }

    /** The n-th /24 of 172.16.0.0/12 for the n-th unleased auto network, skipping the file's fixed subnets. */
    private static String freeSubnet(ComposeProject project, String network) {
        List<SubnetSpec.Fixed> fixed = project.networks().values().stream().map(NetworkSpec::subnet)
                .filter(SubnetSpec.Fixed.class::isInstance).map(SubnetSpec.Fixed.class::cast).toList();
        List<String> autos = project.networks().values().stream().filter(n -> n.subnet() instanceof SubnetSpec.Auto)
                .map(NetworkSpec::name).toList();
        int wanted = autos.indexOf(network);
        int found = -1;
        for (int third = 0; third < 16 * 256; third++) {
            int address = FIRST_AUTO_SUBNET + (third << 8);
            boolean overlaps = fixed.stream().anyMatch(f -> overlap(f, address));
            if (!overlaps && ++found == wanted) {
                return SubnetSpec.Fixed.parse(dotted(address) + "/24").toString();
            }
        }
        throw new KubevirtConversionException("networks." + network + ".subnet: no free /24 left in 172.16.0.0/12");
    }

    private static boolean overlap(SubnetSpec.Fixed fixed, int address24) {
        int prefix = Math.min(fixed.prefixLength(), 24);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (fixed.address() & mask) == (address24 & mask);
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "." + (address & 0xff);
    }

    /**
     * A named volume outlives its VMs, as locally: a DataVolume of its own (not a template of one VM),
     * blank; the guest formats it on first boot ({@link CloudInitUserData}).
     */
    private static Manifest blankVolume(ComposeProject project, VolumeSpec volume, String name,
            List<ConversionWarning> warnings) {
        List<String> users = new ArrayList<>();
        boolean written = false;
        for (VmSpec vm : project.vms().values()) {
            for (Mount m : vm.volumes()) {
                if (m instanceof Mount.NamedVolumeMount v && v.volume().equals(volume.name())) {
                    users.add(vm.name());
                    written |= !v.readOnly();
                }
            }
        }
        String path = "volumes." + volume.name();
        if (!users.isEmpty() && !written) {
            warnings.add(new ConversionWarning(path, "every VM mounts it read-only, so none formats it: it stays blank"
                    + " on KubeVirt; fill it first (e.g. a DataVolume imported from a disk image of it)"));
        }
        if (users.size() > 1) {
            warnings.add(new ConversionWarning(path, "used by " + String.join(", ", users) + ": a ReadWriteOnce volume"
                    + " holds these VMs on one node; use a storage class with ReadWriteMany to spread them"));
        }
        return new Manifest("DataVolume", name, KubeObjects.object("cdi.kubevirt.io/v1beta1", "DataVolume", name,
                KubeObjects.labels(project.name(), null),
                "spec", map("source", map("blank", map()),
                        "storage", map("resources", map("requests", map("storage", Quantities.of(volume.size())))))));
    }
}
