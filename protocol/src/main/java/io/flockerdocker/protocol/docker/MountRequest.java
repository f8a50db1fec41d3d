package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * Body of {@code POST /VolumeDriver.Mount} and {@code /VolumeDriver.Unmount}. {@code ID} is a
 * random 64-hex mount id (not the container id); {@code docker cp} repeats the running
 * container's id, so the same id can be mounted twice and must be counted twice.
 */
public record MountRequest(
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "Name", required = true) String name,
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "ID", required = true) String id) {}
