package io.flockerdocker.protocol.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of the endpoints that name one volume and nothing else: {@code Remove}, {@code Path} and
 * {@code Get} all send exactly {@code {"Name":"demo"}}.
 */
public record NameRequest(@JsonProperty(value = "Name", required = true) String name) {}
