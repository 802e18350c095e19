package io.qemucompose.driver.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * dnsmasq's lease file: one line per lease, {@code <expiry> <mac> <ip> <hostname> <client-id>},
 * expiry in epoch seconds (0 = infinite), {@code *} for an unknown host name or client id.
 * A {@code duid} line (DHCPv6) and lines that do not parse are skipped: dnsmasq rewrites the file
 * while we read it, and a torn line is better ignored than fatal.
 */
public record DhcpLeases(List<Lease> leases) {

    public record Lease(Optional<Instant> expiry, String mac, String ip, Optional<String> hostname,
                        Optional<String> clientId) {
    }

    public DhcpLeases {
        leases = List.copyOf(leases);
    }

    /** The leases in {@code file}; none when dnsmasq has not written it yet. */
    public static DhcpLeases read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return new DhcpLeases(List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dnsmasq lease file " + file + ": " + e.getMessage(), e);
        }
    }

    public static DhcpLeases parse(String text) {
        var leases = new ArrayList<Lease>();
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || f[0].equals("duid") || !f[0].matches("\\d+")
                    || !f[1].matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
                continue;
            }
            long expiry = Long.parseLong(f[0]);
            leases.add(new Lease(expiry == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expiry)),
                    f[1].toLowerCase(Locale.ROOT), f[2], known(f[3]), f.length > 4 ? known(f[4]) : Optional.empty()));
        }
        return new DhcpLeases(leases);
    }

    /** The lease of the NIC with {@code mac} (case does not matter), the newest if there are several. */
    public Optional<Lease> byMac(String mac) {
        String wanted = mac.toLowerCase(Locale.ROOT);
        return leases.reversed().stream().filter(l -> l.mac().equals(wanted)).findFirst();
    }

    private static Optional<String> known(String field) {
        return field.equals("*") ? Optional.empty() : Optional.of(field);
    }
}
