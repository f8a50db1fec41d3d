package io.flockerdocker.agent.support;

/**
 * Marker for messages that cross nodes (volume commands and replies): bound to jackson-cbor in
 * reference.conf, so adding a cluster message means implementing this, nothing else.
 */
public interface CborSerializable {}
