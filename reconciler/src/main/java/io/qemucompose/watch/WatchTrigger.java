package io.qemucompose.watch;

/** Why the watcher should look again; the content never matters (level-triggered), only the moment. */
public record WatchTrigger(Kind kind, String detail, long atNanos) {

    public enum Kind { START, FILE, STATE, UNIT, RESYNC, RETRY, STOP }

    public static WatchTrigger of(Kind kind, String detail) {
        return new WatchTrigger(kind, detail, System.nanoTime());
    }

    public String describe() {
        return switch (kind) {
            case START -> "watcher started";
            case FILE -> "file changed: " + detail;
            case STATE -> "state changed: " + detail;
            case UNIT -> "unit changed: " + detail;
            case RESYNC -> "periodic resync";
            case RETRY -> "retry";
            case STOP -> "stopping";
        };
    }
}
