package io.qemucompose.desired;


/** One spec field of a resource as it is shown in a plan, with what a change of it costs. */
public record Field(Value value, Effect effect) {}
