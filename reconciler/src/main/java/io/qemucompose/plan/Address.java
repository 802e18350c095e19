package io.qemucompose.plan;

import java.util.Locale;

/**
 * Which resource a change or an action is about, as Terraform addresses resource instances:
 * {@code vm.web}, {@code network.front}, {@code volume.data}. Every kind of resource is planned,
 * rendered and serialised through this one shape.
 */
public record Address(Kind kind, String name) implements Comparable<Address> {

    public enum Kind {
        /** Project-wide things such as the SSH key. */
        PROJECT,
        IMAGE,
        NETWORK,
        VOLUME,
        VM;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Address {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an address needs a name");
        }
    }

    public static Address vm(String name) {
        return new Address(Kind.VM, name);
    }

    public static Address volume(String name) {
        return new Address(Kind.VOLUME, name);
    }

    public static Address network(String name) {
        return new Address(Kind.NETWORK, name);
    }

    public static Address image(String location) {
        return new Address(Kind.IMAGE, location);
    }

    public static Address project() {
        return new Address(Kind.PROJECT, "project");
    }

    @Override
    public String toString() {
        return kind.word() + "." + name;
    }

    @Override
    public int compareTo(Address o) {
        int k = kind.compareTo(o.kind);
        return k != 0 ? k : name.compareTo(o.name);
    }
}
