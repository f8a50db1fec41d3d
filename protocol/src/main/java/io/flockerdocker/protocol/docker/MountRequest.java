package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /VolumeDriver.Mount} and {@code /VolumeDriver.Unmount}. {@code ID} is a
 * random 64-hex mount id (not the container id); {@code docker cp} repeats the running
 * container's id, so the same id can be mounted twice and must be counted twice.
 */
public record MountRequest(
    @JsonProperty(value = "Name", required = true) String name,
    @JsonProperty(value = "ID", required = true) String id) {}
