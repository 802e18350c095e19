package io.qemucompose.convert.kubevirt;

/** The project cannot be converted as it is (two names that Kubernetes would spell alike); nothing is written. */
public final class KubevirtConversionException extends RuntimeException {

    public KubevirtConversionException(String message) {
        super(message);
    }
}
