package io.qemucompose.spec;

/** {@code subnet: auto} (a /24 leased from 172.16.0.0/12) or a fixed IPv4 CIDR. */
public sealed interface SubnetSpec {

    record Auto() implements SubnetSpec {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /**
     * A fixed IPv4 network. {@code address} is the network address (host bits zero), as a
     * 32-bit value; {@code prefixLength} between 8 and 30 so DHCP has room for guests.
     */
    record Fixed(int address, int prefixLength) implements SubnetSpec {
        public static Fixed parse(String cidr) {
            return Cidrs.parse(cidr);
        }

        public String networkAddress() {
            return Cidrs.dotted(address);
        }

        @Override
        public String toString() {
            return networkAddress() + "/" + prefixLength;
        }
    }
}
