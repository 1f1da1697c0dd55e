package io.filehost.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "filehost.storage")
public interface StorageConfig {
    /** One bucket per deployment (design.md §Bytes); keys inside it are generated, never taken from user input. */
    @WithDefault("filehost")
    String bucket();

    /** Create the bucket at start when missing: right for local platforms, off where an operator provisions it. */
    @WithDefault("true")
    boolean createBucket();
}
