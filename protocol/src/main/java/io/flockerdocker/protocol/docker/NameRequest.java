package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * Body of the endpoints that name one volume and nothing else: {@code Remove}, {@code Path} and
 * {@code Get} all send exactly {@code {"Name":"demo"}}.
 */
public record NameRequest(
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "Name", required = true) String name) {}
