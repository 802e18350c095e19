package io.qemucompose.driver.systemd;

/**
 * How a systemd job ended: "done", "canceled", "timeout", "failed", "dependency", "skipped", or
 * "not-loaded" when a stop was asked for a unit systemd does not know (nothing to do).
 */
public record JobResult(String unit, String jobPath, String result) {

    public boolean done() {
        return "done".equals(result) || "not-loaded".equals(result);
    }
}
