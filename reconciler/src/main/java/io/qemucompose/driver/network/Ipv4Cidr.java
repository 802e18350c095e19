package io.qemucompose.driver.network;

import io.qemucompose.spec.SubnetSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 prefix as the kernel reports it: any length from /0 to /32, host bits cleared. The
 * allocator's value type; {@link SubnetSpec.Fixed} is the narrower form a compose file may ask for.
 *
 * @param address      the network address as a 32-bit value (host bits zero)
 * @param prefixLength 0..32
 */
public record Ipv4Cidr(int address, int prefixLength) implements Comparable<Ipv4Cidr> {

    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + prefixLength + " is outside 0-32");
        }
        if ((address & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(dotted(address) + "/" + prefixLength + " has host bits set");
        }
    }

    /** The prefix that holds {@code address} (host bits are cleared, as {@code ip addr} prints 172.16.0.1/24). */
    public static Ipv4Cidr containing(int address, int prefixLength) {
        return new Ipv4Cidr(address & mask(prefixLength), prefixLength);
    }

    /** {@code a.b.c.d/n}, or a bare {@code a.b.c.d} as a /32 (how {@code ip route} prints host routes). */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        int address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR such as 172.16.0.0/24");
        }
        return new Ipv4Cidr(address, prefix);
    }

    public static Ipv4Cidr of(SubnetSpec.Fixed fixed) {
        return new Ipv4Cidr(fixed.address(), fixed.prefixLength());
    }

    public static int parseAddress(String dotted) {
        Matcher m = DOTTED.matcher(dotted);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address such as 172.16.0.1");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("'" + dotted + "' has octet " + octet + " above 255");
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    public static String dotted(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "."
                + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    public boolean contains(int host) {
        return (host & mask(prefixLength)) == address;
    }

    /** Two prefixes overlap exactly when one contains the other's network address. */
    public boolean overlaps(Ipv4Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (address & mask(shorter)) == (other.address & mask(shorter));
    }

    /** Number of addresses, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** The {@code n}-th address of the prefix ({@code host(1)} is the gateway by our convention). */
    public int host(int n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException("host " + n + " is outside " + this);
        }
        return address + n;
    }

    /** {@code .1}: where the bridge, DHCP and DNS live. */
    public int gateway() {
        return host(1);
    }

    /** The gateway with this prefix length, as {@code ip addr add} takes it: {@code 172.16.0.1/24}. */
    public String gatewayCidr() {
        return dotted(gateway()) + "/" + prefixLength;
    }

    public String netmask() {
        return dotted(mask(prefixLength));
    }

    public String networkAddress() {
        return dotted(address);
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - prefixLength));
    }

    @Override
    public int compareTo(Ipv4Cidr other) {
        int byAddress = Integer.compareUnsigned(address, other.address);
        return byAddress != 0 ? byAddress : Integer.compare(prefixLength, other.prefixLength);
    }

    @Override
    public String toString() {
        return dotted(address) + "/" + prefixLength;
    }
}
