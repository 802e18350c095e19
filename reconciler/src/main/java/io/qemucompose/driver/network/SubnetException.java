package io.qemucompose.driver.network;

/** No subnet can be given to a network (overlap, pool exhausted), or the machine-wide registry is unreadable. */
public class SubnetException extends RuntimeException {

    public SubnetException(String message) {
        super(message);
    }

    public SubnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
