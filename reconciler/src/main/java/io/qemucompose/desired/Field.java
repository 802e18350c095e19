package io.qemucompose.desired;

/** One spec field of a VM as it is shown in a plan, with what a change of it costs. */
public record Field(String value, Effect effect) {}
