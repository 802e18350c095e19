package io.qemucompose.driver.net;

import java.nio.file.Path;
import java.time.Instant;

/** A host TCP port reserved machine-wide for one VM's SSH forward, keyed by (project folder, VM name). */
public record PortLease(Path projectDir, String vm, int port, Instant leasedAt) {
}
