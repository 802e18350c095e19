package io.qemucompose.plan;

/** What the user asked the selected VMs to become. */
public enum Intent {
    /** Created, matching the file, running ({@code up}, {@code apply}, {@code plan}). */
    RUNNING,
    /** Existing but not running ({@code stop}). */
    STOPPED,
    /** Gone, volumes and cached images kept ({@code destroy}). */
    ABSENT,
    /** Not running, RAM and device state saved next to the disk so {@code up} resumes it ({@code suspend}). */
    SUSPENDED
}
