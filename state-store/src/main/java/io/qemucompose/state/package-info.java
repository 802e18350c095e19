package io.qemucompose.state;
