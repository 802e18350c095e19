package io.qemucompose.driver.image;

/**
 * One progress report of a pull.
 *
 * @param label          what is being pulled (a VM name or the URL), for one progress bar each
 * @param bytes          bytes of the image on disk so far (a resumed download starts above 0)
 * @param totalBytes     the image's size, or -1 when the server does not say
 * @param bytesPerSecond transfer rate of this run
 * @param done           true on the last report of a successful pull
 */
public record PullProgress(String label, long bytes, long totalBytes, double bytesPerSecond, boolean done) {

    /** Receives progress; called from the downloading thread, so keep it quick. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> {
        };

        void onProgress(PullProgress progress);
    }
}
