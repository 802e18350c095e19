package io.qemucompose.spec;

/** A top-level network: a Linux bridge with its own dnsmasq. Only {@code driver: bridge} exists. */
public record NetworkSpec(String name, String driver, SubnetSpec subnet) {
    public static final String BRIDGE = "bridge";
}
