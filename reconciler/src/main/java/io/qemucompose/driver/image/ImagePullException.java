package io.qemucompose.driver.image;

/** A base image could not be fetched or found (404, timeout, refused connection, missing local file). */
public class ImagePullException extends RuntimeException {
    public ImagePullException(String message) {
        super(message);
    }

    public ImagePullException(String message, Throwable cause) {
        super(message, cause);
    }
}
