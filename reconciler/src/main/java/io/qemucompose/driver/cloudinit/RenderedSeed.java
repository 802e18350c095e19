package io.qemucompose.driver.cloudinit;

import java.util.Optional;

/** The three files of a NoCloud seed, and the instance-id that meta-data carries. */
public record RenderedSeed(String userData, String metaData, Optional<String> networkConfig, String instanceId) {
}
