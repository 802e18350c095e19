package io.qemucompose.cli;
