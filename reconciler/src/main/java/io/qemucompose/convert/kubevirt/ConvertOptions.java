package io.qemucompose.convert.kubevirt;

import java.util.Map;

/**
 * What the conversion needs beyond the compose file.
 *
 * @param publicKeyLine the project's SSH public key, as the local seed holds it
 * @param leasedSubnets the subnet each {@code subnet: auto} network was leased locally, when it was
 *     (network name to CIDR); others get a free /24 of 172.16.0.0/12 not used by the file
 * @param podNetworkOnly leave bridge networks out: every VM gets the pod network only
 */
public record ConvertOptions(String publicKeyLine, Map<String, String> leasedSubnets, boolean podNetworkOnly) {

    public ConvertOptions {
        leasedSubnets = Map.copyOf(leasedSubnets);
    }
}
