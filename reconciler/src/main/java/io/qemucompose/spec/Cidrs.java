package io.qemucompose.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IPv4 CIDR parsing with messages fit for users. */
final class Cidrs {
    private static final Pattern CIDR =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    private Cidrs() {}

    static SubnetSpec.Fixed parse(String text) {
        Matcher m = CIDR.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "found '" + text + "', expected 'auto' or an IPv4 CIDR such as 192.168.100.0/24");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("found '" + text + "', octet " + octet + " is above 255");
            }
            address = (address << 8) | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("found '" + text
                    + "', expected a prefix length between /8 and /30 (DHCP needs room for guests)");
        }
        int mask = (int) (0xFFFFFFFFL << (32 - prefix));
        if ((address & ~mask) != 0) {
            throw new IllegalArgumentException("found '" + text + "', which has host bits set (did you mean '"
                    + dotted(address & mask) + "/" + prefix + "'?)");
        }
        return new SubnetSpec.Fixed(address, prefix);
    }

    static String dotted(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "."
                + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
