package io.qemucompose.testkit;
