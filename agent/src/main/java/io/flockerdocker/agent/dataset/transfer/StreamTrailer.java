package io.flockerdocker.agent.dataset.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The stream's last frame: how many entries and how many stream bytes preceded it; the CRC32C of
 * those bytes follows it as a raw long. An {@code abort} frame carries {@code reason} instead.
 */
record StreamTrailer(
    @JsonProperty("entries") long entries,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("reason") String reason) {}
