package io.flockerdocker.agent.dataset.transfer;

/** Where a dataset is pulled from: the host's data-channel address and its node UUID. */
public record Peer(String host, int port, String nodeUuid) {}
