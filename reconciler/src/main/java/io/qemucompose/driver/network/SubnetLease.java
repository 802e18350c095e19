package io.qemucompose.driver.network;

import java.nio.file.Path;
import java.time.Instant;

/** The subnet recorded machine-wide for one network, keyed by (project folder, network name). */
public record SubnetLease(Path projectDir, String network, Ipv4Cidr cidr, Instant leasedAt) {
}
