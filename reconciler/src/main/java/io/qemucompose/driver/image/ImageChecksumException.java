package io.qemucompose.driver.image;

/** A downloaded or local image does not match its declared checksum; nothing was put in the cache. */
public final class ImageChecksumException extends ImagePullException {
    public ImageChecksumException(String message) {
        super(message);
    }
}
