package io.qemucompose.convert.kubevirt;

/**
 * Something of the compose file that KubeVirt cannot do as qemu-compose does, and what to do
 * instead. {@code --strict} turns every warning into an error.
 *
 * @param path the compose field, as in spec errors ({@code vms.web.volumes[0]})
 */
public record ConversionWarning(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
