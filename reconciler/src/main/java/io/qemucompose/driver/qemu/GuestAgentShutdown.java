package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Stop step: {@code guest-shutdown} through the QEMU guest agent. Fails fast (within
 * {@code agentTimeout}) when the guest runs no agent, leaving the rest of the deadline to later steps.
 */
public record GuestAgentShutdown(Path guestAgentSocket, VmExitWatch exit, Duration agentTimeout) implements StopStep {

    public GuestAgentShutdown(Path guestAgentSocket, VmExitWatch exit) {
        this(guestAgentSocket, exit, Duration.ofSeconds(5));
    }

    @Override
    public String name() {
        return "guest-agent";
    }

    @Override
    public boolean attempt(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        Duration connect = agentTimeout.compareTo(deadline) < 0 ? agentTimeout : deadline;
        try (var agent = GuestAgentClient.connect(guestAgentSocket, connect)) {
            agent.shutdown(GuestAgentClient.ShutdownMode.POWERDOWN, Duration.ofSeconds(1));
        }
        return exit.awaitExit(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }
}
