package io.flockerdocker.agent.dataset.transfer;

/**
 * What one completed pull did: entries in the stream, files whose content crossed, files kept
 * from the stale copy (quick check matched), local entries deleted, bytes of file content
 * received (holes excluded) and of the whole stream, and how long it took.
 */
public record PullResult(
    long entries,
    long filesSent,
    long filesKept,
    long deleted,
    long contentBytes,
    long streamBytes,
    long nanos) {}
