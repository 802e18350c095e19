package io.qemucompose.driver.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qemucompose.driver.ExternalCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link NetworkDriver} on iproute2 in the network namespace this process runs in: {@code ip}
 * commands, their state read back as JSON ({@code ip -j}) rather than scraped from text.
 *
 * <p>{@code ip} needs CAP_NET_ADMIN for every change ({@link CapNetAdmin}). The constructor with a
 * command prefix runs {@code ip} through another program (tests use {@code nsenter --net=...});
 * this class itself knows nothing of namespaces.
 */
public final class HostNetworkDriver implements NetworkDriver {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ExternalCommand program;
    private final List<String> leadingArguments;

    public HostNetworkDriver() {
        this(new ExternalCommand("ip", "iproute2"), List.of());
    }

    /**
     * @param program          what to run, e.g. {@code nsenter} (package util-linux)
     * @param leadingArguments its arguments before ip's own, ending in {@code ip}
     */
    public HostNetworkDriver(ExternalCommand program, List<String> leadingArguments) {
        this.program = program;
        this.leadingArguments = List.copyOf(leadingArguments);
    }

    // ---- ip -j shapes (only the fields we read) ----

    record AddrInfo(String family, String local, int prefixlen) {
    }

    record InfoData(String type, String user) {
    }

    record LinkInfo(@JsonProperty("info_kind") String infoKind, @JsonProperty("info_data") InfoData infoData) {
    }

    record Link(String ifname, List<String> flags, String master, LinkInfo linkinfo,
                @JsonProperty("addr_info") List<AddrInfo> addrInfo) {
        String kind() {
            return linkinfo == null || linkinfo.infoKind() == null ? "" : linkinfo.infoKind();
        }

        boolean isTap() {
            return kind().equals("tun") && linkinfo.infoData() != null && "tap".equals(linkinfo.infoData().type());
        }

        boolean up() {
            return flags != null && flags.contains("UP");
        }

        List<AddrInfo> ipv4() {
            return addrInfo == null ? List.of() : addrInfo.stream().filter(a -> "inet".equals(a.family())).toList();
        }
    }

    record Route(String dst, String dev, String type) {
    }

    // ---- bridges ----

    @Override
    public void ensureBridge(String name, Ipv4Cidr subnet) {
        InterfaceName.require(name);
        String gateway = subnet.gatewayCidr();
        Optional<Link> existing = link(name);
        if (existing.isEmpty()) {
            ipTolerating("File exists", "link", "add", "name", name, "type", "bridge");
            existing = link(name);
        }
        Link bridge = existing.orElseThrow(() -> new NetworkDriverException("bridge " + name + " vanished right after"
                + " it was created"));
        requireKind(bridge, "bridge");
        boolean hasGateway = false;
        for (AddrInfo a : bridge.ipv4()) {
            String address = a.local() + "/" + a.prefixlen();
            if (address.equals(gateway)) {
                hasGateway = true;
            } else {
                // a bridge left over with another subnet would route that subnet here too
                ipTolerating("Cannot assign requested address", "addr", "del", address, "dev", name);
            }
        }
        if (!hasGateway) {
            ipTolerating("File exists", "addr", "add", gateway, "dev", name);
        }
        if (!bridge.up()) {
            ip("link", "set", "dev", name, "up");
        }
    }

    @Override
    public Optional<BridgeLink> bridge(String name) {
        return link(name).map(l -> {
            requireKind(l, "bridge");
            return new BridgeLink(l.ifname(), l.ipv4().stream().map(a -> a.local() + "/" + a.prefixlen()).toList(), l.up());
        });
    }

    @Override
    public void deleteBridge(String name) {
        Optional<Link> existing = link(name);
        if (existing.isPresent()) {
            requireKind(existing.get(), "bridge");
            ipTolerating("Cannot find device", "link", "del", "dev", name);
        }
    }

    // ---- TAPs ----

    @Override
    public void ensureTap(String name, String bridge, int ownerUid) {
        InterfaceName.require(name);
        InterfaceName.require(bridge);
        if (ownerUid < 0) {
            throw new IllegalArgumentException("TAP owner uid must be >= 0: " + ownerUid);
        }
        Optional<Link> existing = link(name);
        if (existing.isEmpty()) {
            // vnet_hdr: QEMU's virtio-net offloads. Not multi_queue: QEMU opens a single-queue TAP without
            // IFF_MULTI_QUEUE, and the kernel refuses a flag mismatch ("could not configure /dev/net/tun: Invalid argument")
            ipTolerating("Device or resource busy", "tuntap", "add", "dev", name, "mode", "tap", "vnet_hdr",
                    "user", Integer.toString(ownerUid));
            existing = link(name);
        }
        Link tap = existing.orElseThrow(() -> new NetworkDriverException("TAP " + name + " vanished right after it was"
                + " created"));
        requireTap(tap);
        if (!bridge.equals(tap.master()) || !tap.up()) {
            ip("link", "set", "dev", name, "master", bridge, "up");
        }
    }

    @Override
    public void deleteTap(String name) {
        Optional<Link> existing = link(name);
        if (existing.isPresent()) {
            requireTap(existing.get());
            ipTolerating("Cannot find device", "link", "del", "dev", name);
        }
    }

    @Override
    public List<TapLink> listTaps() {
        return links("-d", "link", "show", "type", "tun").stream()
                .filter(Link::isTap)
                .map(l -> new TapLink(l.ifname(), Optional.ofNullable(l.master()),
                        Optional.ofNullable(l.linkinfo().infoData().user()), l.up()))
                .toList();
    }

    // ---- what is in use ----

    @Override
    public List<UsedNetwork> usedNetworks() {
        var used = new ArrayList<UsedNetwork>();
        for (Link l : links("-4", "addr", "show")) {
            for (AddrInfo a : l.ipv4()) {
                used.add(new UsedNetwork(Ipv4Cidr.containing(Ipv4Cidr.parseAddress(a.local()), a.prefixlen()),
                        l.ifname(), UsedNetwork.Source.ADDRESS));
            }
        }
        for (Route r : parse(ip("-j", "-4", "route", "show", "table", "all").stdout(), Route[].class, "routes")) {
            // the default route covers everything, it blocks nothing; multicast routes are not destinations
            if (r.dst() == null || r.dst().equals("default") || "multicast".equals(r.type())) {
                continue;
            }
            used.add(new UsedNetwork(Ipv4Cidr.parse(r.dst()), r.dev() == null ? "" : r.dev(), UsedNetwork.Source.ROUTE));
        }
        return List.copyOf(used);
    }

    // ---- plumbing ----

    private Optional<Link> link(String name) {
        InterfaceName.require(name);
        ExternalCommand.Result r = run(List.of("-j", "-d", "addr", "show", "dev", name));
        if (!r.succeeded()) {
            if (r.stderr().contains("does not exist")) {
                return Optional.empty();
            }
            throw failed(r);
        }
        List<Link> links = parse(r.stdout(), Link[].class, "link " + name);
        return links.stream().filter(l -> name.equals(l.ifname())).findFirst();
    }

    private List<Link> links(String... arguments) {
        var args = new ArrayList<String>(List.of("-j"));
        args.addAll(List.of(arguments));
        return parse(ip(args.toArray(String[]::new)).stdout(), Link[].class, "links");
    }

    private <T> List<T> parse(String json, Class<T[]> type, String what) {
        if (json.isBlank()) {
            return List.of(); // ip -j prints nothing at all when there is nothing to list
        }
        try {
            return List.of(JSON.readValue(json, type));
        } catch (JacksonException e) {
            throw new NetworkDriverException("cannot read the " + what + " that ip printed: " + e.getOriginalMessage());
        }
    }

    private void requireKind(Link link, String kind) {
        if (!link.kind().equals(kind)) {
            throw new NetworkDriverException(link.ifname() + " exists but is " + (link.kind().isEmpty() ? "no " + kind
                    : "a " + link.kind() + ", not a " + kind) + "; qemu-compose leaves it alone: remove or rename it");
        }
    }

    private void requireTap(Link link) {
        if (!link.isTap()) {
            throw new NetworkDriverException(link.ifname() + " exists but is no TAP device (" + link.kind()
                    + "); qemu-compose leaves it alone: remove or rename it");
        }
    }

    private ExternalCommand.Result ip(String... arguments) {
        ExternalCommand.Result r = run(List.of(arguments));
        if (!r.succeeded()) {
            throw failed(r);
        }
        return r;
    }

    /** A change that another process may have made first (two applies at once): its error is success. */
    private void ipTolerating(String alreadyDone, String... arguments) {
        ExternalCommand.Result r = run(List.of(arguments));
        if (!r.succeeded() && !r.stderr().contains(alreadyDone)) {
            throw failed(r);
        }
    }

    private ExternalCommand.Result run(List<String> ipArguments) {
        var args = new ArrayList<>(leadingArguments);
        args.addAll(ipArguments);
        return program.run(args, DEADLINE);
    }

    private static NetworkDriverException failed(ExternalCommand.Result r) {
        String hint = r.stderr().contains("Operation not permitted") ? " (" + CapNetAdmin.MISSING_MESSAGE + ")" : "";
        return new NetworkDriverException("'" + String.join(" ", r.command()) + "' failed with exit code " + r.exitCode()
                + ": " + r.diagnostic() + hint);
    }
}
