package io.qemucompose.convert.kubevirt;

import java.util.List;

/** The manifests of one project, in the order {@code kubectl apply} should create them, and the warnings. */
public record KubevirtConversion(List<Manifest> manifests, List<ConversionWarning> warnings) {

    public KubevirtConversion {
        manifests = List.copyOf(manifests);
        warnings = List.copyOf(warnings);
    }
}
