package io.qemucompose.apply;

/** A VM unit of this name belongs to another project folder (same project name): it is left alone. */
public final class UnitOwnedElsewhereException extends IllegalStateException {

    public UnitOwnedElsewhereException(String message) {
        super(message);
    }
}
