package io.qemucompose.driver;

/** A host program qemu-compose needs is not installed; the message names the Debian package. */
public final class DependencyMissingException extends RuntimeException {

    private final String tool;
    private final String debianPackage;

    public DependencyMissingException(String tool, String debianPackage) {
        super(tool + " is not installed: install it with 'sudo apt-get install " + debianPackage + "'");
        this.tool = tool;
        this.debianPackage = debianPackage;
    }

    public String tool() {
        return tool;
    }

    public String debianPackage() {
        return debianPackage;
    }
}
