package io.qemucompose;
