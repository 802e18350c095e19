package io.qemucompose.driver.systemd;

import java.util.OptionalLong;

/**
 * A unit's cgroup accounting as systemd reports it (CPUUsageNSec, MemoryCurrent, IPIngressBytes,
 * IPEgressBytes, IOReadBytes, IOWriteBytes). Each is empty when systemd does not account it
 * (it reports UINT64_MAX: accounting off, controller not delegated, unit not running).
 */
public record UnitAccounting(long mainPid, OptionalLong cpuNanos, OptionalLong memoryBytes, OptionalLong ipIngressBytes,
        OptionalLong ipEgressBytes, OptionalLong ioReadBytes, OptionalLong ioWriteBytes) {

    public static UnitAccounting none() {
        OptionalLong e = OptionalLong.empty();
        return new UnitAccounting(0, e, e, e, e, e, e);
    }

    /** systemd's "not available" is UINT64_MAX, which a Java long reads as -1. */
    static OptionalLong counter(long value) {
        return value == -1 ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
